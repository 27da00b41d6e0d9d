/**
 * The real Pulumi CLI, run offline: a file backend in a temporary folder, a passphrase for secrets,
 * no update checks and no plugin downloads. Found on PATH (with its Node.js language host) or in
 * the cache that `bash tools/pulumi-cli/build.sh` fills.
 */
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { nodeUnderTest } from "./node";

export { findCli, HOW_TO_GET_THE_CLI } from "../../tools/pulumi-cli/locate";

export interface RunResult {
    code: number;
    stdout: string;
    stderr: string;
    /** stdout and stderr together, as a user sees them. */
    output: string;
}

/** One user's machine: a Pulumi home, a file backend and the environment the CLI runs with. */
export class PulumiWorkspace {
    readonly root: string;
    /** The environment every command of this workspace runs with. */
    readonly env: NodeJS.ProcessEnv;

    constructor(cliDir: string) {
        this.root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-docr-e2e-"));
        const backend = path.join(this.root, "backend");
        fs.mkdirSync(backend);
        const env: NodeJS.ProcessEnv = {};
        for (const [k, v] of Object.entries(process.env)) {
            // The user's own tokens and Pulumi settings must not leak into a test stack.
            if (/^(DIGITALOCEAN_|PULUMI_|DOCR_|TS_NODE_|NODE_OPTIONS$)/.test(k)) continue;
            env[k] = v;
        }
        this.env = {
            ...env,
            // The Node under test first: the CLI starts `node` from PATH for the language host's
            // program and for the dynamic-provider host.
            PATH: [nodeUnderTest().binDir, cliDir, process.env.PATH ?? ""].filter(Boolean).join(path.delimiter),
            PULUMI_HOME: path.join(this.root, "home"),
            PULUMI_BACKEND_URL: `file://${backend}`,
            PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
            NO_COLOR: "1",
            // Retention plans and inventories of this workspace only: the suites on other Nodes run beside it.
            DOCR_RETENTION_PLAN_DIR: path.join(this.root, "plans"),
        };
    }

    /** The environment the CLI runs with, for other processes that must run as it does. */
    environment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
        return { ...this.env, ...extra };
    }

    /** A folder of this workspace for a program. */
    dir(name: string): string {
        const dir = path.join(this.root, name);
        fs.mkdirSync(dir, { recursive: true });
        return dir;
    }

    /** `pulumi <args>` in a program folder; never throws on a non-zero exit. */
    run(
        cwd: string,
        args: string[],
        options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
    ): Promise<RunResult> {
        return new Promise((resolve, reject) => {
            const child = spawn("pulumi", [...args, "--non-interactive"], {
                cwd,
                env: { ...this.env, ...options.env },
                stdio: ["ignore", "pipe", "pipe"],
            });
            let stdout = "";
            let stderr = "";
            let output = "";
            child.stdout.on("data", (d: Buffer) => {
                stdout += d.toString();
                output += d.toString();
            });
            child.stderr.on("data", (d: Buffer) => {
                stderr += d.toString();
                output += d.toString();
            });
            const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 240_000);
            child.on("error", reject);
            child.on("close", (code) => {
                clearTimeout(timer);
                resolve({ code: code ?? -1, stdout, stderr, output });
            });
        });
    }

    /** Like {@link run}, and fails with the CLI's own output when the command does. */
    async ok(cwd: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
        const result = await this.run(cwd, args, options);
        if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.output}`);
        return result;
    }

    /** Another command (a package's bin) in a program folder, with this workspace's environment; never throws. */
    tool(cwd: string, file: string, args: string[]): Promise<RunResult> {
        return new Promise((resolve, reject) => {
            execFile(file, args, { cwd, env: this.env, timeout: 240_000 }, (err, stdout, stderr) => {
                // Not started, or killed by the timeout: no exit code to report.
                if (err && typeof err.code !== "number") return reject(new Error(`${file}: ${err.message}`));
                resolve({
                    code: typeof err?.code === "number" ? err.code : 0,
                    stdout,
                    stderr,
                    output: stdout + stderr,
                });
            });
        });
    }

    remove(): void {
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}
