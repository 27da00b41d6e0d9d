/** Mocha hooks around the one world (harness/world.ts) for a describe block. */
import type { RunningEmulator } from "../../emulator";
import { startWorld as startHarnessWorld, WORLD_TOKEN, type World, type WorldOptions } from "../../harness/world";

/**
 * The harness world with the host's shared-read window at 0 unless given (only reads in flight
 * share a listing): these tests reset the emulator between tests behind the host's back, which a
 * window would hide.
 */
export function startWorld(options: WorldOptions = {}): Promise<World> {
    return startHarnessWorld({ sharedReadWindowMs: 0, ...options });
}

/**
 * One world for the block, a fresh account before each test (optionally seeded), and at the end a
 * check that the host never printed the token. Returns a getter: the world exists once the
 * `before` hook has run.
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
        if (world.host.output().includes(WORLD_TOKEN)) throw new Error("the host printed the API token");
    });
    return () => world!;
}
