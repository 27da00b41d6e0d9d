/**
 * Shared by the benchmarks and the soak test: an emulator, a real dynamic-provider host pointed at
 * it (the same host the Pulumi engine starts), and every resource's provider serialized once.
 *
 * Not a benchmark itself (bench/run-all.ts runs `bench/*.ts`; this folder holds helpers).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type EmulatorOptions, type RequestRecord, type RunningEmulator } from "../../emulator";
import type { ProviderKind } from "../../provider/resources/implementations";
import { serializedProvider as thinProvider } from "../../provider/resources/serialized";
import { bindResource, BoundResource, ProviderHost, serializeProvider, startProviderHost, urn } from "../../harness/engine";

export const KINDS = ["Registry", "Subscription", "RegistryCredentials", "RetentionPolicy", "GarbageCollection", "ClusterRegistryIntegration"] as const satisfies readonly ProviderKind[];
export type Kind = ProviderKind;

/** A distinctive token: the soak asserts it never appears in anything a user could see. */
export const BENCH_TOKEN = "dop_v1_pulumi_docr_bench_token_0c1d2e3f4a5b6c7d";

const serialized = new Map<Kind, Promise<string>>();

/** The `__provider` text of a resource kind, as serialized from this repository (inlined code). */
export function serializedProvider(kind: Kind): Promise<string> {
    let text = serialized.get(kind);
    if (!text) {
        text = serializeProvider(thinProvider(kind));
        serialized.set(kind, text);
    }
    return text;
}

export interface HostWorld {
    emulator: RunningEmulator;
    host: ProviderHost;
    resource(kind: Kind, name: string): Promise<BoundResource>;
    stop(): Promise<void>;
}

export interface HostWorldOptions {
    emulator?: EmulatorOptions;
    /** Environment of the host process (e.g. DOCR_MAX_REQUESTS_PER_MINUTE, DOCR_RETRY_BASE_DELAY_MS). */
    hostEnv?: NodeJS.ProcessEnv;
    callTimeoutMs?: number;
    /** Working directory of the host (a program directory with the package installed). Default: the repository. */
    hostCwd?: string;
    /** Options for node in the host process (e.g. `--cpu-prof`). */
    hostNodeArgs?: string[];
}

/** Emulator (rate limit off unless given) + host configured with stack config, as `pulumi up` does. */
export async function startHostWorld(options: HostWorldOptions = {}): Promise<HostWorld> {
    const emulator = await startEmulator({ token: BENCH_TOKEN, rateLimitPerMinute: 0, gcStepMs: 20, ...options.emulator });
    const host = await startProviderHost({ env: options.hostEnv, cwd: options.hostCwd, nodeArgs: options.hostNodeArgs, callTimeoutMs: options.callTimeoutMs ?? 120_000 });
    await host.configure({ "digitalocean:token": emulator.token, "digitalocean:apiUrl": emulator.url });
    return {
        emulator,
        host,
        async resource(kind, name) {
            return bindResource(host, await serializedProvider(kind), urn(`pulumi-nodejs:dynamic/docr:${kind}`, name));
        },
        async stop() {
            await host.stop();
            await emulator.stop();
        },
    };
}

/** Counts requests the emulator saw while `fn` ran (`fn` must be the only thing talking to it). */
export async function counted<T>(emulator: RunningEmulator, fn: () => Promise<T>): Promise<{ result: T; requests: RequestRecord[] }> {
    emulator.clearRequests();
    const result = await fn();
    const requests = emulator.requests();
    emulator.clearRequests();
    return { result, requests };
}

/** The machine the figures come from. */
export function machine(): string {
    let cpu = os.cpus()[0]?.model ?? "unknown CPU";
    try {
        const line = fs.readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
        if (line) cpu = line.split(":")[1]!.trim();
    } catch {
        /* not Linux */
    }
    return `${os.cpus().length} CPU (${cpu}), Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function ms(value: number): string {
    return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

/** A fixed-width text table. */
export function table(header: string[], rows: (string | number)[][]): string {
    const all = [header, ...rows.map((r) => r.map(String))];
    const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
    return [line(all[0]!), line(widths.map((w) => "-".repeat(w))), ...all.slice(1).map(line)].join("\n");
}

/**
 * Builds `dist/` for `npm pack` (`npm run build`; this one also goes on past a type error
 * in the package, e.g. an unfinished change). tsc still emits on type
 * errors, so a failed check is reported and the run goes on when `dist/provider/index.js` is fresh.
 */
export function buildDistTolerant(root: string): void {
    try {
        execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(root, "tsconfig.build.json")], { stdio: "pipe" });
    } catch (err) {
        const out = String((err as { stdout?: Buffer }).stdout ?? "").split("\n").filter(Boolean).slice(0, 3).join("\n  ");
        const entry = path.join(root, "dist", "provider", "index.js");
        if (!fs.existsSync(entry) || Date.now() - fs.statSync(entry).mtimeMs > 60_000) throw err;
        console.error(`(tsc reported type errors elsewhere in the project; dist/ was emitted anyway)\n  ${out}`);
    }
}
