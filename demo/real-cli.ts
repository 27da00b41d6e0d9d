/**
 * The demo with the real Pulumi CLI: examples/multi-env copied into a temporary folder, pulumi-docr
 * installed there from `npm pack` (as users install it), one emulator per stack, and the CLI's own
 * output shown as it runs: `up`, a change per stack (`preview --diff`, `up`), `destroy`.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../emulator";

const ROOT = path.resolve(__dirname, "..");

interface Change {
    stack: string;
    key: string;
    value: string;
    expect: string;
}

const CHANGES: Change[] = [
    { stack: "prod", key: "tier", value: "professional", expect: "an update in place" },
    { stack: "dev", key: "region", value: "ams3", expect: "a replacement (the credentials with it)" },
];

function banner(text: string): void {
    process.stdout.write(`\n== ${text}\n`);
}

/** `pulumi <args>`, its output streamed; rejects on a non-zero exit. */
function pulumi(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
    process.stdout.write(`$ pulumi ${args.join(" ")}\n`);
    return new Promise((resolve, reject) => {
        const child = spawn("pulumi", [...args, "--non-interactive"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        const take = (chunk: Buffer): void => {
            output += chunk.toString();
            process.stdout.write(chunk);
        };
        child.stdout.on("data", take);
        child.stderr.on("data", take);
        child.on("error", reject);
        child.on("close", (code) =>
            code === 0 ? resolve(output) : reject(new Error(`pulumi ${args.join(" ")} exited ${code}`)),
        );
    });
}

/** A Pulumi environment that touches nothing of the user's: its own home, backend and passphrase. */
function cliEnv(cliDir: string, work: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^(DIGITALOCEAN_|PULUMI_|TS_NODE_)/.test(k)) env[k] = v;
    fs.mkdirSync(path.join(work, "backend"), { recursive: true });
    return {
        ...env,
        PATH: `${cliDir}${path.delimiter}${process.env.PATH ?? ""}`,
        PULUMI_HOME: path.join(work, "home"),
        PULUMI_BACKEND_URL: `file://${path.join(work, "backend")}`,
        PULUMI_CONFIG_PASSPHRASE: "demo",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        NO_COLOR: "1",
    };
}

function installExample(work: string): string {
    const dir = path.join(work, "multi-env");
    fs.cpSync(path.join(ROOT, "examples", "multi-env"), dir, {
        recursive: true,
        filter: (src) => !src.includes("node_modules"),
    });
    const tarballName = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], {
        cwd: ROOT,
        encoding: "utf8",
    })
        .trim()
        .split("\n")
        .pop()!;
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
    };
    manifest.dependencies["pulumi-docr"] = `file:${path.join(work, tarballName)}`;
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2));
    process.stdout.write(`$ npm install   (in a copy of examples/multi-env, pulumi-docr from npm pack)\n`);
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
        cwd: dir,
        stdio: "inherit",
    });
    return dir;
}

/** Runs the demo with the CLI in `cliDir`; resolves to the exit code. */
export async function runWithRealCli(cliDir: string): Promise<number> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-docr-demo-"));
    const emulators: RunningEmulator[] = [];
    try {
        const env = cliEnv(cliDir, work);
        const dir = installExample(work);
        const tokens: Record<string, string> = {};
        for (const stack of ["dev", "prod"]) {
            banner(`stack ${stack}: its own team (an emulator of its own), then pulumi up`);
            const emulator = await startEmulator({ gcStepMs: 20 });
            emulators.push(emulator);
            tokens[stack] = emulator.token;
            await pulumi(dir, env, ["stack", "init", stack]);
            await pulumi(dir, env, ["config", "set", "digitalocean:apiUrl", emulator.url, "--stack", stack]);
            process.stdout.write(
                `$ pulumi config set --secret digitalocean:token <the emulator's token> --stack ${stack}\n`,
            );
            execFileSync(
                "pulumi",
                [
                    "config",
                    "set",
                    "--secret",
                    "digitalocean:token",
                    emulator.token,
                    "--stack",
                    stack,
                    "--non-interactive",
                ],
                { cwd: dir, env, stdio: "ignore" },
            );
            await pulumi(dir, env, ["up", "--yes", "--stack", stack]);
        }
        for (const change of CHANGES) {
            banner(`stack ${change.stack}: ${change.key} -> ${change.value}, ${change.expect}`);
            await pulumi(dir, env, ["config", "set", change.key, change.value, "--stack", change.stack]);
            await pulumi(dir, env, ["preview", "--diff", "--stack", change.stack]);
            await pulumi(dir, env, ["up", "--yes", "--stack", change.stack]);
        }
        for (const stack of ["dev", "prod"]) {
            banner(`stack ${stack}: pulumi destroy`);
            await pulumi(dir, env, ["destroy", "--yes", "--stack", stack]);
            const left = emulators[stack === "dev" ? 0 : 1].snapshot().registries.length;
            if (left !== 0) throw new Error(`${stack}: ${left} registries left after destroy`);
        }
        return 0;
    } catch (err) {
        process.stdout.write(`\ndemo FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
        return 1;
    } finally {
        await Promise.all(emulators.map((e) => e.stop()));
        fs.rmSync(work, { recursive: true, force: true });
    }
}
