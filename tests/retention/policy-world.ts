/** The one world (harness/world.ts) per describe block, with a RetentionPolicy bound to it. */
import type { RunningEmulator } from "../../emulator";
import type { BoundResource, ProviderHost } from "../../harness/engine";
import { startWorld, type World } from "../../harness/world";
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
 * Registers the hooks: start the world before the block, a freshly seeded account before each
 * test, stop it after. Returns a getter: the world exists once the `before` hook has run.
 */
export function usePolicyWorld(options: { name: string; gcStepMs: number; seed: number }): () => PolicyWorld {
    const policyWorld = {} as PolicyWorld;
    let world: World | undefined;
    before(async () => {
        world = await startWorld({ emulator: { gcStepMs: options.gcStepMs, seed: options.seed }, hostEnv: HOST_ENV });
        policyWorld.emu = world.emulator;
        policyWorld.host = world.host;
        policyWorld.policy = await world.resource("RetentionPolicy", options.name);
    });
    beforeEach(() => {
        policyWorld.emu.reset();
        policyWorld.now = Date.now();
        policyWorld.emu.seed(fixture(policyWorld.now));
        policyWorld.host.clearOutput();
    });
    after(async () => {
        await world?.stop();
    });
    return () => policyWorld;
}
