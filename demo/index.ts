/**
 * `npm run demo`: the multi-env example (examples/multi-env) for stacks `dev` and `prod`, deployed
 * the way `pulumi up` would, against the embedded DOCR emulator instead of DigitalOcean. No Pulumi
 * CLI, account or network needed.
 *
 * For each stack (demo/scenario.ts): `pulumi up` (preview: check and diff; then create), a config
 * change (prod: tier basic -> professional, an update in place; dev: region nyc3 -> ams3, a
 * replacement that takes the credentials with it), then `pulumi destroy`, each checked against the
 * emulator. Every resource operation goes through the real dynamic-provider host of @pulumi/pulumi
 * (demo/engine.ts), with the program's resources collected through runtime mocks (demo/program.ts).
 *
 * Each environment is its own DigitalOcean team (the tier belongs to a team, and a team with more
 * than one registry needs the professional tier), so each stack gets its own emulator and token,
 * and runs in its own process, the two at once. Exits non-zero if anything fails. Never prints a
 * token or a credential.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { findCli, HOW_TO_GET_THE_CLI } from "../tools/pulumi-cli/locate";
import { runWithRealCli } from "./real-cli";

const SCENARIOS: { stack: string; args: string[] }[] = [
    { stack: "dev", args: ["region=ams3", "replace"] },
    { stack: "prod", args: ["tier=professional", "update"] },
];

interface Finished {
    stack: string;
    code: number | null;
    output: string;
}

function runStack(stack: string, args: string[], live: boolean): Promise<Finished> {
    return new Promise((resolve) => {
        const child = spawn(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", path.join(__dirname, "stack-main.ts"), stack, ...args],
            {
                cwd: path.resolve(__dirname, ".."),
                stdio: ["ignore", "pipe", "pipe"],
                env: withoutCredentials(process.env),
            },
        );
        let output = "";
        const take = (chunk: Buffer) => {
            output += chunk.toString("utf8");
            if (live) process.stdout.write(chunk);
        };
        child.stdout.on("data", take);
        child.stderr.on("data", take);
        child.on("error", (err) =>
            resolve({ stack, code: 1, output: `${output}\n${stack}: could not start: ${err.message}\n` }),
        );
        child.on("close", (code) => resolve({ stack, code, output }));
    });
}

/** The demo talks to its emulators only: a real token or API URL in the environment is not passed on. */
function withoutCredentials(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const out: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(env)) {
        if (!/^(DIGITALOCEAN_|PULUMI_CONFIG)/.test(k)) out[k] = v;
    }
    return out;
}

/** `DOCR_DEMO_ENGINE=builtin` (or `cli`) chooses; by default the real CLI when there is one. */
function chooseCli(): string | undefined {
    const wanted = process.env.DOCR_DEMO_ENGINE;
    if (wanted !== undefined && wanted !== "builtin" && wanted !== "cli")
        throw new Error(`DOCR_DEMO_ENGINE must be "builtin" or "cli", not "${wanted}"`);
    if (wanted === "builtin") return undefined;
    const cli = findCli();
    if (!cli && wanted === "cli")
        throw new Error(`DOCR_DEMO_ENGINE=cli, but no Pulumi CLI was found: ${HOW_TO_GET_THE_CLI}`);
    return cli;
}

async function main(): Promise<number> {
    const started = Date.now();
    const cli = chooseCli();
    if (cli) {
        process.stdout.write(
            `pulumi-docr demo: the real Pulumi CLI (${path.join(cli, "pulumi")}), examples/multi-env, stacks dev and prod, against local DOCR emulators\n`,
        );
        const code = await runWithRealCli(cli);
        process.stdout.write(
            `\ndemo ${code === 0 ? "finished" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)}s with the real Pulumi CLI\n`,
        );
        return code;
    }
    process.stdout.write(
        `pulumi-docr demo: the built-in engine (no Pulumi CLI found: ${HOW_TO_GET_THE_CLI}), examples/multi-env, stacks dev and prod, against the embedded DOCR emulator\n\n`,
    );
    // The first stack streams as it goes; the others print when it is done.
    const runs = SCENARIOS.map((s, i) => runStack(s.stack, s.args, i === 0));
    const results = await Promise.all(runs);
    for (const r of results.slice(1)) process.stdout.write(`\n${r.output}`);
    const failed = results.filter((r) => r.code !== 0);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (failed.length > 0) {
        process.stdout.write(
            `\ndemo FAILED (${failed.map((r) => `${r.stack}: exit ${r.code}`).join(", ")}) after ${seconds}s\n`,
        );
        return 1;
    }
    process.stdout.write(
        `\ndemo finished in ${seconds}s: dev and prod deployed, changed and destroyed through the real dynamic-provider host\n`,
    );
    return 0;
}

main().then(
    (code) => process.exit(code),
    (err: unknown) => {
        process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
    },
);
