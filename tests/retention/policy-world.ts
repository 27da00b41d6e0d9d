/** One emulator and one real host per describe block, with a RetentionPolicy bound to them. */
import { startEmulator, type RunningEmulator } from "../../emulator";
import { serializedProvider } from "../../provider/resources/serialized";
import { bindResource, BoundResource, ProviderHost, serializeProvider, startProviderHost, urn } from "../../harness/engine";
import { fixture } from "./fixture";
import { HOST_ENV } from "./live";

export interface PolicyWorld {
    emu: RunningEmulator;
    host: ProviderHost;
    policy: BoundResource;
    /** When this test's fixture was seeded (tag ages are relative to it). */
    now: number;
}

/**
 * Registers the hooks: start both before the block, a freshly seeded account before each test,
 * stop both after. Returns a getter: the world exists once the `before` hook has run.
 */
export function usePolicyWorld(options: { name: string; gcStepMs: number; seed: number }): () => PolicyWorld {
    const world = {} as PolicyWorld;
    before(async () => {
        world.emu = await startEmulator({ rateLimitPerMinute: 0, gcStepMs: options.gcStepMs, seed: options.seed });
        world.host = await startProviderHost({ env: HOST_ENV });
        await world.host.configure({ "digitalocean:token": world.emu.token, "digitalocean:apiUrl": world.emu.url });
        const serialized = await serializeProvider(serializedProvider("RetentionPolicy"));
        world.policy = bindResource(world.host, serialized, urn("docr:RetentionPolicy", options.name));
    });
    beforeEach(() => {
        world.emu.reset();
        world.now = Date.now();
        world.emu.seed(fixture(world.now));
        world.host.clearOutput();
    });
    after(async () => {
        await world.host?.stop();
        await world.emu?.stop();
    });
    return () => world;
}
