/**
 * The emulator as users run it: its own process, started from the installed package's
 * `docr-emulator` bin, talked to over HTTP (the API and its `/_emulator` admin routes).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import type { EmulatorState } from "../../emulator";

export interface EmulatorProcess {
    url: string;
    token: string;
    pid: number;
    /** Everything it printed on stderr. */
    log(): string;
    state(): Promise<EmulatorState>;
    /** Admin route call: `POST /seed`, `PUT /faults`, ... */
    admin(method: string, route: string, body?: unknown): Promise<unknown>;
    /** A call to the API itself with the emulator's token (to change things behind Pulumi's back). */
    api(method: string, route: string, body?: unknown): Promise<unknown>;
    stop(): Promise<void>;
}

/** Starts `docr-emulator` from a program folder where `pulumi-docr` is installed. */
export function startEmulatorProcess(programDir: string, args: string[] = []): Promise<EmulatorProcess> {
    const bin = path.join(programDir, "node_modules", ".bin", "docr-emulator");
    const child = spawn(bin, ["--port", "0", "--rate-limit", "0", "--gc-step-ms", "20", ...args], {
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve, reject) => {
        let stdout = "";
        const onData = (d: Buffer): void => {
            stdout += d.toString();
            const match = /DIGITALOCEAN_API_URL=(\S+) DIGITALOCEAN_TOKEN=(\S+)/.exec(stdout);
            if (!match) return;
            child.stdout.off("data", onData);
            resolve(handle(child, match[1], match[2], () => stderr));
        };
        child.stdout.on("data", onData);
        child.on("error", reject);
        child.on("exit", (code) =>
            reject(new Error(`docr-emulator exited ${code} before listening:\n${stdout}${stderr}`)),
        );
    });
}

function handle(child: ChildProcess, url: string, token: string, log: () => string): EmulatorProcess {
    const call = async (
        method: string,
        route: string,
        body: unknown,
        headers: Record<string, string>,
    ): Promise<unknown> => {
        const res = await fetch(`${url}${route}`, {
            method,
            headers: { "content-type": "application/json", ...headers },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
        return text ? (JSON.parse(text) as unknown) : undefined;
    };
    return {
        url,
        token,
        pid: child.pid!,
        log,
        state: async () => (await call("GET", "/_emulator/state", undefined, {})) as EmulatorState,
        admin: (method, route, body) => call(method, `/_emulator${route}`, body, {}),
        api: (method, route, body) => call(method, route, body, { authorization: `Bearer ${token}` }),
        stop: () =>
            new Promise<void>((resolve) => {
                if (child.exitCode !== null) return resolve();
                child.once("exit", () => resolve());
                child.kill("SIGTERM");
            }),
    };
}
