import { fork } from "node:child_process";
import * as path from "node:path";
import type { StackConfig, StackReport } from "./quota-stack";

type FromStack = { type: "acquire" } | { type: "release" } | { type: "report"; report: StackReport };

/**
 * Runs one stack process per config, all at once, and returns their reports. A team has at most
 * 10 registries, so at most `slots` stacks hold theirs at a time: a stack asks before its `up`
 * and hands its slot on after its destroy (the others wait, as a team's CI would queue).
 */
export async function runStacks(configs: readonly StackConfig[], slots: number): Promise<StackReport[]> {
    const root = path.resolve(__dirname, "..", "..");
    let free = slots;
    const queue: (() => void)[] = [];
    const release = () => {
        const next = queue.shift();
        if (next) next();
        else free++;
    };
    return Promise.all(
        configs.map(
            (config) =>
                new Promise<StackReport>((resolve, reject) => {
                    // The token travels in argv only to a child of ours on this machine; the emulator's token is no secret.
                    const child = fork(path.join(root, "bench/lib/quota-stack.ts"), [JSON.stringify(config)], {
                        cwd: root,
                        execArgv: ["-r", "ts-node/register/transpile-only"],
                        stdio: ["ignore", "inherit", "pipe", "ipc"],
                    });
                    let err = "";
                    let report: StackReport | undefined;
                    child.stderr?.on("data", (c: Buffer) => (err += c.toString()));
                    child.on("message", (m: FromStack) => {
                        if (m.type === "acquire") {
                            const grant = () => child.send({ type: "granted" });
                            if (free > 0) {
                                free--;
                                grant();
                            } else queue.push(grant);
                        } else if (m.type === "release") release();
                        else report = m.report;
                    });
                    child.on("error", reject);
                    child.on("exit", (code) => {
                        if (code !== 0 || !report)
                            return reject(new Error(`stack ${config.id} exited ${code}: ${err.slice(0, 500)}`));
                        resolve(report);
                    });
                }),
        ),
    );
}
