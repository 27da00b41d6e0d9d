/**
 * The host process: spawning `node @pulumi/pulumi/cmd/dynamic-provider`, environment hygiene,
 * reading its port, capturing its output, killing it, and tracking live hosts for cleanup.
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { StartOptions } from "./host";
import { linkedPackageDir } from "./package-dir";

const HOST_SCRIPT = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");

const liveHosts = new Set<ChildProcess>();

/** Pids of host processes started by this helper and not yet exited (to assert cleanup). */
export function liveHostPids(): number[] {
    return [...liveHosts].map((c) => c.pid!).filter((p) => p !== undefined);
}

/** Whether a process with this pid exists (signal 0). */
export function processExists(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}

// Safety net: if the test process exits while hosts are still running (a forgotten `after`,
// mocha --exit), kill them synchronously.
process.on("exit", () => {
    for (const child of liveHosts) {
        try {
            child.kill("SIGKILL");
        } catch {
            /* already gone */
        }
    }
});

function hostEnv(overrides: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (/^(DIGITALOCEAN_|PULUMI_CONFIG|PULUMI_NODEJS_)/.test(k)) continue;
        env[k] = v;
    }
    for (const [k, v] of Object.entries(overrides ?? {})) {
        if (v === undefined) delete env[k];
        else env[k] = v;
    }
    return env;
}

/** A started host process (internal: `startProviderHost` wraps it in a {@link ProviderHost}). */
export interface HostProcess {
    readonly pid: number;
    /** The gRPC port the host printed on its first stdout line. */
    readonly port: number;
    readonly output: () => string;
    readonly waitForOutput: (pattern: string | RegExp, timeoutMs?: number) => Promise<string>;
    readonly clearOutput: () => void;
    /** SIGTERM, then SIGKILL after 2 s; resolves once the process has exited. */
    kill(): Promise<void>;
}

/** Spawn a host, wait for its port line and capture everything it prints after it. */
export async function spawnHost(options: StartOptions): Promise<HostProcess> {
    const cwd = options.cwd ?? linkedPackageDir();
    // The engine address is required by the host's argv check but never dialled for these calls.
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), HOST_SCRIPT, "127.0.0.1:1"], {
        cwd,
        env: hostEnv(options.env),
        stdio: ["ignore", "pipe", "pipe"],
    });
    liveHosts.add(child);
    const exited = new Promise<void>((resolve) => {
        child.once("exit", () => {
            liveHosts.delete(child);
            resolve();
        });
        child.once("error", () => {
            liveHosts.delete(child);
            resolve();
        });
    });

    let out = "";
    let startupOut = "";
    let port: number | undefined;
    const listeners = new Set<() => void>();
    const append = (s: string) => {
        out += s;
        for (const l of [...listeners]) l();
    };

    const kill = async () => {
        if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGTERM");
            const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
            await exited;
            clearTimeout(timer);
        }
        await exited;
    };

    try {
        port = await new Promise<number>((resolve, reject) => {
            let buf = "";
            const timer = setTimeout(
                () =>
                    reject(
                        new Error(
                            `dynamic-provider host did not print its port within ${options.startTimeoutMs ?? 15000} ms: ${startupOut}`,
                        ),
                    ),
                options.startTimeoutMs ?? 15000,
            );
            child.stdout.setEncoding("utf8");
            child.stderr.setEncoding("utf8");
            child.stdout.on("data", (chunk: string) => {
                if (port !== undefined) {
                    append(chunk);
                    return;
                }
                buf += chunk;
                const nl = buf.indexOf("\n");
                if (nl < 0) return;
                const first = buf.slice(0, nl).trim();
                const rest = buf.slice(nl + 1);
                clearTimeout(timer);
                if (!/^\d+$/.test(first)) {
                    reject(new Error(`dynamic-provider host printed ${JSON.stringify(first)} before its port`));
                    return;
                }
                port = Number(first);
                if (rest) append(rest);
                resolve(port);
            });
            child.stderr.on("data", (chunk: string) => {
                startupOut += chunk;
                append(chunk);
            });
            child.once("error", (e) => {
                clearTimeout(timer);
                reject(e);
            });
            child.once("exit", (code, signal) => {
                clearTimeout(timer);
                reject(
                    new Error(
                        `dynamic-provider host exited (${code ?? signal}) before printing its port: ${startupOut}`,
                    ),
                );
            });
        });
    } catch (e) {
        await kill();
        throw e;
    }

    return {
        pid: child.pid!,
        port,
        output: () => out,
        clearOutput: () => {
            out = "";
        },
        waitForOutput(pattern, timeoutMs = 2000) {
            const matches = () => (typeof pattern === "string" ? out.includes(pattern) : pattern.test(out));
            if (matches()) return Promise.resolve(out);
            return new Promise<string>((resolve, reject) => {
                const done = () => {
                    clearTimeout(timer);
                    listeners.delete(check);
                };
                const check = () => {
                    if (matches()) {
                        done();
                        resolve(out);
                    }
                };
                const timer = setTimeout(() => {
                    done();
                    reject(
                        new Error(
                            `host output did not match ${String(pattern)} within ${timeoutMs} ms; output:\n${out}`,
                        ),
                    );
                }, timeoutMs);
                listeners.add(check);
            });
        },
        kill,
    };
}
