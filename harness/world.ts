/**
 * One world for tests, demo and benchmarks: an emulator, a real dynamic-provider host pointed at
 * it (the host the Pulumi engine starts), and resources bound to both, each kind's provider
 * serialized once per process.
 */
import { startEmulator, type EmulatorOptions, type RequestRecord, type RunningEmulator } from "../emulator";
import type { ProviderKind } from "../provider/resources/kind";
import { serializedProvider as thinProvider } from "../provider/resources/serialized";
import {
    bindResource,
    type BoundResource,
    type ProviderHost,
    serializeProvider,
    startProviderHost,
    urn,
} from "./engine";

export const KINDS = [
    "Registry",
    "Subscription",
    "RegistryCredentials",
    "RetentionPolicy",
    "GarbageCollection",
    "ClusterRegistryIntegration",
] as const satisfies readonly ProviderKind[];
export type Kind = ProviderKind;

/** A distinctive token: whoever uses the world can assert it never leaks into outputs, errors or logs. */
export const WORLD_TOKEN = "dop_v1_pulumi_docr_test_token_4f9c2e7a1b3d5f60";

const serialized = new Map<Kind, Promise<string>>();

/** The `__provider` text of a kind; serializing takes about a second, so it is done once. */
export function serializedProvider(kind: Kind): Promise<string> {
    let text = serialized.get(kind);
    if (!text) {
        text = serializeProvider(thinProvider(kind));
        serialized.set(kind, text);
    }
    return text;
}

export interface World {
    emulator: RunningEmulator;
    host: ProviderHost;
    /** A resource of `kind` named `name`, bound to this world's host. */
    resource(kind: Kind, name: string): Promise<BoundResource>;
    /** Operation ids of the requests the emulator saw since the last call (clears them). */
    takeRequests(): string[];
    /** The requests the emulator saw while `fn` ran (`fn` must be the only thing talking to it). */
    counted<T>(fn: () => Promise<T>): Promise<{ result: T; requests: RequestRecord[] }>;
    stop(): Promise<void>;
}

export interface WorldOptions {
    /** Emulator options; the rate limit is off and GC stages take 20 ms unless given. */
    emulator?: EmulatorOptions;
    /** How the host gets the token: stack config, as `pulumi up` does (the default), environment, or not at all. */
    tokenVia?: "config" | "env" | "none";
    /** Environment of the host process (e.g. DOCR_MAX_REQUESTS_PER_MINUTE). */
    hostEnv?: NodeJS.ProcessEnv;
    /** Working directory of the host (a program directory with the package installed). Default: the repository. */
    hostCwd?: string;
    callTimeoutMs?: number;
    /** Options for node in the host process (e.g. `--cpu-prof`). */
    hostNodeArgs?: string[];
    /** The host's DOCR_SHARED_READ_WINDOW_MS; unset: the default users run with. */
    sharedReadWindowMs?: number;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
    const emulator = await startEmulator({
        token: WORLD_TOKEN,
        rateLimitPerMinute: 0,
        gcStepMs: 20,
        ...options.emulator,
    });
    const via = options.tokenVia ?? "config";
    const tokenEnv = via === "env" ? { DIGITALOCEAN_TOKEN: emulator.token, DIGITALOCEAN_API_URL: emulator.url } : {};
    const host = await startProviderHost({
        env: {
            ...(options.sharedReadWindowMs === undefined
                ? {}
                : { DOCR_SHARED_READ_WINDOW_MS: String(options.sharedReadWindowMs) }),
            ...options.hostEnv,
            ...tokenEnv,
        },
        cwd: options.hostCwd,
        nodeArgs: options.hostNodeArgs,
        callTimeoutMs: options.callTimeoutMs,
    });
    if (via === "config")
        await host.configure({ "digitalocean:token": emulator.token, "digitalocean:apiUrl": emulator.url });
    else await host.configure(via === "none" ? { "digitalocean:apiUrl": emulator.url } : {});
    return {
        emulator,
        host,
        async resource(kind, name) {
            return bindResource(host, await serializedProvider(kind), urn(`pulumi-nodejs:dynamic/docr:${kind}`, name));
        },
        takeRequests() {
            const ops = emulator.requests().map((r) => r.operationId);
            emulator.clearRequests();
            return ops;
        },
        async counted(fn) {
            emulator.clearRequests();
            const result = await fn();
            const requests = emulator.requests();
            emulator.clearRequests();
            return { result, requests };
        },
        async stop() {
            await host.stop();
            await emulator.stop();
        },
    };
}
