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
import { spawn } from "child_process";
import * as path from "path";

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
            { cwd: path.resolve(__dirname, ".."), stdio: ["ignore", "pipe", "pipe"], env: withoutCredentials(process.env) },
        );
        let output = "";
        const take = (chunk: Buffer) => {
            output += chunk.toString("utf8");
            if (live) process.stdout.write(chunk);
        };
        child.stdout.on("data", take);
        child.stderr.on("data", take);
        child.on("error", (err) => resolve({ stack, code: 1, output: `${output}\n${stack}: could not start: ${err.message}\n` }));
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

async function main(): Promise<number> {
    const started = Date.now();
    process.stdout.write("pulumi-docr demo: examples/multi-env, stacks dev and prod, against the embedded DOCR emulator\n\n");
    // The first stack streams as it goes; the others print when it is done.
    const runs = SCENARIOS.map((s, i) => runStack(s.stack, s.args, i === 0));
    const results = await Promise.all(runs);
    for (const r of results.slice(1)) process.stdout.write(`\n${r.output}`);
    const failed = results.filter((r) => r.code !== 0);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (failed.length > 0) {
        process.stdout.write(`\ndemo FAILED (${failed.map((r) => `${r.stack}: exit ${r.code}`).join(", ")}) after ${seconds}s\n`);
        return 1;
    }
    process.stdout.write(`\ndemo finished in ${seconds}s: dev and prod deployed, changed and destroyed through the real dynamic-provider host\n`);
    return 0;
}

main().then(
    (code) => process.exit(code),
    (err: unknown) => {
        process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
    },
);
