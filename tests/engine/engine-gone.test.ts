import { expect } from "chai";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import { connectHost, type HostConnection } from "../../harness/engine/calls";
import { linkedPackageDir } from "../../harness/engine/package-dir";
import { serializeProvider, urn, withProvider } from "../../harness/engine/props";
import { serializedProvider } from "../../provider/resources/serialized";

const HOST_SCRIPT = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");

/**
 * A dynamic-provider host as the engine starts it (stdin, stdout and stderr pipes), and what happens
 * to it when the engine is gone: its stdin ends, its stdout and stderr are closed. The e2e suite
 * (tests/e2e/recovery.test.ts) does the same with a real CLI killed by SIGKILL.
 */
describe("the dynamic-provider host once its engine is gone", function () {
    this.timeout(60_000);
    let provider: string;
    const started: ChildProcessWithoutNullStreams[] = [];
    const connections: HostConnection[] = [];

    before(async function () {
        provider = await serializeProvider(serializedProvider("Subscription"));
    });
    afterEach(function () {
        for (const c of connections.splice(0)) c.close();
        for (const child of started.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
    });

    /** A host with piped stdio whose pulumi-docr code is loaded (the first call configures it). */
    async function loadedHost(): Promise<{ child: ChildProcessWithoutNullStreams; calls: HostConnection["calls"] }> {
        const child = spawn(process.execPath, [HOST_SCRIPT, "127.0.0.1:1"], {
            cwd: linkedPackageDir(),
            env: { ...process.env, DIGITALOCEAN_TOKEN: "", DIGITALOCEAN_API_URL: "" },
            stdio: ["pipe", "pipe", "pipe"],
        });
        started.push(child);
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            child.stdout.on("data", function first(d: Buffer) {
                out += d.toString();
                const line = /^(\d+)\n/.exec(out);
                if (!line) return;
                child.stdout.off("data", first);
                resolve(Number(line[1]));
            });
            child.once("exit", (code) => reject(new Error(`host exited ${code} before its port: ${out}`)));
        });
        const connection = connectHost(port, 10_000);
        connections.push(connection);
        await connection.calls.configure({ "digitalocean:token": "test-token" });
        const check = await connection.calls.check(
            urn("pulumi-nodejs:dynamic/docr:Subscription", "plan"),
            {},
            withProvider({ tierSlug: "no-such-tier" }, provider),
        );
        expect(check.failures.map((f) => f.property)).to.deep.equal(["tierSlug"]);
        return { child, calls: connection.calls };
    }

    function exited(child: ChildProcessWithoutNullStreams, withinMs: number): Promise<number | string> {
        if (child.exitCode !== null) return Promise.resolve(child.exitCode);
        return new Promise((resolve, reject) => {
            const timer = setTimeout(
                () => reject(new Error(`host ${child.pid} still running ${withinMs} ms later`)),
                withinMs,
            );
            child.once("exit", (code, signal) => {
                clearTimeout(timer);
                resolve(code ?? String(signal));
            });
        });
    }

    /** CPU time (user + system, in clock ticks) the process used so far, from /proc. */
    function cpuTicks(pid: number): number | undefined {
        try {
            const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
            return Number(fields[11]) + Number(fields[12]);
        } catch {
            return undefined;
        }
    }

    it("exits when its stdin, the engine's pipe, ends", async function () {
        const { child } = await loadedHost();
        child.stdin.end();
        expect(await exited(child, 5_000)).to.equal(3);
    });

    it("writing to a closed stdout and stderr does not loop: the host exits instead", async function () {
        const { child, calls } = await loadedHost();
        // The engine's ends of the pipes close, as when the CLI is killed; stdin stays open (not watched here).
        child.stdout.destroy();
        child.stderr.destroy();
        const before = cpuTicks(child.pid!);
        // Deleting a Subscription logs a line through pulumi.log, which in the host is console.log.
        const state = withProvider({ tierSlug: "basic" }, provider);
        await calls
            .delete("registry-subscription", urn("pulumi-nodejs:dynamic/docr:Subscription", "plan"), state)
            .catch(() => undefined);
        const outcome = await exited(child, 5_000).catch((err: Error) => {
            const spent = (cpuTicks(child.pid!) ?? 0) - (before ?? 0);
            return `${err.message}, having used ${spent} ticks of CPU`;
        });
        expect(outcome).to.equal(3);
    });
});
