import { spawn } from "node:child_process";
import * as path from "node:path";
import type { WorkerConfig, WorkerReport } from "./quota-worker";

/** Runs one worker process per config (all at once) and returns their reports. */
export async function runWorkers(configs: readonly WorkerConfig[]): Promise<WorkerReport[]> {
    const root = path.resolve(__dirname, "..", "..");
    return Promise.all(
        configs.map(
            (config) =>
                new Promise<WorkerReport>((resolve, reject) => {
                    const child = spawn(
                        process.execPath,
                        ["-r", "ts-node/register/transpile-only", "bench/lib/quota-worker.ts", JSON.stringify(config)],
                        {
                            cwd: root,
                            stdio: ["ignore", "pipe", "pipe"],
                            // The token travels in argv only to a child of ours on this machine; the emulator's token is no secret.
                            env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
                        },
                    );
                    let out = "";
                    let err = "";
                    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
                    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
                    child.on("error", reject);
                    child.on("exit", (code) => {
                        const line = out.trim().split("\n").pop() ?? "";
                        if (code !== 0 || !line.startsWith("{"))
                            return reject(new Error(`worker ${config.id} exited ${code}: ${err.slice(0, 500)}`));
                        resolve(JSON.parse(line) as WorkerReport);
                    });
                }),
        ),
    );
}

/** Largest number of times in any half-open window [t, t + windowMs). */
export function peakInWindow(times: readonly number[], windowMs: number): number {
    const sorted = [...times].sort((a, b) => a - b);
    let peak = 0;
    let lo = 0;
    for (let hi = 0; hi < sorted.length; hi++) {
        while (sorted[hi] - sorted[lo] >= windowMs) lo++;
        peak = Math.max(peak, hi - lo + 1);
    }
    return peak;
}
