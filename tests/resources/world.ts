import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import { serializedProvider as thinProvider } from "../../provider/resources/serialized";
import { bindResource, BoundResource, ProviderHost, serializeProvider, startProviderHost, urn } from "../../harness/engine";

/** A distinctive token: tests assert it never leaks into outputs, errors or logs. */
export const SECRET_TOKEN = "dop_v1_pulumi_docr_test_token_4f9c2e7a1b3d5f60";

/** The resources these tests drive through the host. */
export type ResourceKind = "Registry" | "Subscription" | "RegistryCredentials" | "ClusterRegistryIntegration";

const serialized = new Map<string, Promise<string>>();

/** Serializing a provider takes about a second; every test shares one text per provider class. */
export function serializedProvider(kind: ResourceKind): Promise<string> {
    let text = serialized.get(kind);
    if (!text) {
        text = serializeProvider(thinProvider(kind));
        serialized.set(kind, text);
    }
    return text;
}

/** An emulator, a real dynamic-provider host pointed at it, and resources bound to both. */
export interface World {
    emulator: RunningEmulator;
    host: ProviderHost;
    resource(kind: ResourceKind, name: string): Promise<BoundResource>;
    /** Requests the emulator has seen since the last call, by operation id. */
    takeRequests(): string[];
    stop(): Promise<void>;
}

export interface WorldOptions {
    emulator?: EmulatorOptions;
    /** How the host gets the token: stack config (the default), environment, or not at all. */
    tokenVia?: "config" | "env" | "none";
    /**
     * The host's DOCR_SHARED_READ_WINDOW_MS. Default 0 (only reads in flight share a listing):
     * these tests reset the emulator between tests behind the host's back, which a window would
     * hide. `"default"` leaves the variable unset, as users run it.
     */
    sharedReadWindowMs?: number | "default";
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
    const emulator = await startEmulator({ token: SECRET_TOKEN, rateLimitPerMinute: 0, gcStepMs: 20, ...options.emulator });
    const via = options.tokenVia ?? "config";
    const window = options.sharedReadWindowMs ?? 0;
    const host = await startProviderHost({
        env: {
            DOCR_SHARED_READ_WINDOW_MS: window === "default" ? undefined : String(window),
            ...(via === "env" ? { DIGITALOCEAN_TOKEN: emulator.token, DIGITALOCEAN_API_URL: emulator.url } : {}),
        },
    });
    if (via === "config") await host.configure({ "digitalocean:token": emulator.token, "digitalocean:apiUrl": emulator.url });
    if (via !== "config") await host.configure(via === "none" ? { "digitalocean:apiUrl": emulator.url } : {});
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
        async stop() {
            await host.stop();
            await emulator.stop();
        },
    };
}

/**
 * Registers mocha hooks for a describe block: one world for the block, a fresh account before
 * each test (optionally seeded), and at the end a check that the host never printed the token.
 * Returns a getter, since the world exists only once the `before` hook has run.
 */
export function useWorld(options: WorldOptions & { seed?: Parameters<RunningEmulator["seed"]>[0] } = {}): () => World {
    let world: World | undefined;
    before(async function () {
        world = await startWorld(options);
    });
    beforeEach(function () {
        world!.emulator.reset();
        if (options.seed) world!.emulator.seed(options.seed);
    });
    after(async function () {
        if (!world) return;
        await world.stop();
        if (world.host.output().includes(SECRET_TOKEN)) throw new Error("the host printed the API token");
    });
    return () => world!;
}
