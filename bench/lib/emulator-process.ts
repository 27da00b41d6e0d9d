import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { FaultRule, Fixture, RequestRecord } from "../../emulator";

/**
 * The emulator in a process of its own, as the real API is: a benchmark that shares its event
 * loop with the emulator measures the emulator's JSON work as much as the client's concurrency.
 */
export interface EmulatorProcess {
    pid: number;
    url: string;
    token: string;
    requests(): Promise<RequestRecord[]>;
    clearRequests(): Promise<void>;
    stop(): Promise<void>;
}

/** `args` come after the defaults (a later option wins): e.g. `--rate-limit-hour 5000 --hour-window-ms 20000`. */
export async function startEmulatorProcess(
    fixture: Fixture,
    faults: FaultRule[],
    args: string[] = [],
): Promise<EmulatorProcess> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "docr-bench-"));
    fs.writeFileSync(path.join(dir, "fixture.json"), JSON.stringify(fixture));
    fs.writeFileSync(path.join(dir, "faults.json"), JSON.stringify(faults));
    const root = path.resolve(__dirname, "..", "..");
    const child: ChildProcess = spawn(
        process.execPath,
        [
            "-r",
            "ts-node/register/transpile-only",
            "emulator/cli.ts",
            "--port",
            "0",
            "--rate-limit",
            "0",
            "--seed",
            "1",
            "--fixture",
            path.join(dir, "fixture.json"),
            "--faults",
            path.join(dir, "faults.json"),
            ...args,
        ],
        { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
    );
    const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (chunk: Buffer) => {
            out += chunk.toString();
            const found = out.match(/DIGITALOCEAN_API_URL=\S+ DIGITALOCEAN_TOKEN=\S+/);
            if (found) resolve(found[0]);
        });
        child.once("exit", (code) => reject(new Error(`emulator exited (${code}) before listening`)));
    });
    const url = line.match(/DIGITALOCEAN_API_URL=(\S+)/)![1];
    const token = line.match(/DIGITALOCEAN_TOKEN=(\S+)/)![1];
    const admin = (method: string) => fetch(`${url}/_emulator/requests`, { method });
    return {
        pid: child.pid!,
        url,
        token,
        async requests() {
            return ((await (await admin("GET")).json()) as { requests: RequestRecord[] }).requests;
        },
        async clearRequests() {
            await admin("DELETE");
        },
        async stop() {
            child.kill("SIGTERM");
            await new Promise((resolve) => child.once("exit", resolve));
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
