/**
 * Token and API URL as the rest of the package finds them: the stack's config when `docr-import`
 * runs in a Pulumi project directory (read with `pulumi config`, so secrets decrypt as they do for
 * the CLI), then the environment (DIGITALOCEAN_TOKEN, DIGITALOCEAN_API_URL; connection.ts).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import type { Connection } from "../provider/client/connection";
import { CONFIG_KEYS, connectionFromConfig } from "../provider/shared/stack-config";

/** Where the connection came from, for the user to see (never the token). */
export interface FoundConnection {
    connection: Connection;
    source: string;
}

function isProjectDir(dir: string): boolean {
    return ["Pulumi.yaml", "Pulumi.yml"].some((f) => fs.existsSync(path.join(dir, f)));
}

function pulumiConfig(dir: string, stack: string | undefined): Promise<Record<string, string | undefined>> {
    const args = ["config", "--json", "--show-secrets", ...(stack ? ["--stack", stack] : [])];
    return new Promise((resolve, reject) => {
        execFile("pulumi", args, { cwd: dir, timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
            if (err && (err as NodeJS.ErrnoException).code === "ENOENT") {
                return reject(new Error("the pulumi CLI is not on PATH"));
            }
            if (err) {
                const why = (stderr || err.message).trim().split("\n").slice(-3).join(" ");
                return reject(new Error(`pulumi config failed: ${why}`));
            }
            const schema = z.record(z.string(), z.object({ value: z.unknown().optional() }).loose());
            const parsed = schema.safeParse(JSON.parse(stdout));
            if (!parsed.success) return reject(new Error("pulumi config --json printed something unexpected"));
            resolve(
                Object.fromEntries(
                    Object.entries(parsed.data).map(([k, v]) => [k, typeof v.value === "string" ? v.value : undefined]),
                ),
            );
        });
    });
}

/**
 * The stack's config in a project directory (a failure there is an error when the environment has
 * no token either: the message says both), else the environment alone.
 */
export async function findConnection(dir: string, stack: string | undefined): Promise<FoundConnection> {
    if (!isProjectDir(dir)) {
        if (stack) throw new Error(`--stack "${stack}": no Pulumi.yaml in ${dir}, so there is no stack to read`);
        return { connection: {}, source: "the environment" };
    }
    try {
        const config = await pulumiConfig(dir, stack);
        const connection = connectionFromConfig((key) => config[key]);
        const from = `the config of stack ${stack ?? "(selected)"}`;
        return {
            connection,
            source: connection.token ? from : `the environment (${from} sets no ${CONFIG_KEYS.token})`,
        };
    } catch (err) {
        if (stack || !process.env.DIGITALOCEAN_TOKEN) {
            throw new Error(
                `could not read the stack's config (${err instanceof Error ? err.message : String(err)}); ` +
                    `select a stack (--stack NAME) or set DIGITALOCEAN_TOKEN`,
                { cause: err },
            );
        }
        return { connection: {}, source: "the environment (the stack's config could not be read)" };
    }
}
