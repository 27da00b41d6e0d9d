/** The one world (harness/world.ts) per describe block, with a RetentionPolicy bound to it. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningEmulator } from "../../emulator";
import { bindResource, startProviderHost, urn, type BoundResource, type ProviderHost } from "../../harness/engine";
import { serializedProvider, startWorld, type World } from "../../harness/world";
import { fixture } from "./fixture";
import { HOST_ENV } from "./live";

export interface PolicyWorld {
    emu: RunningEmulator;
    host: ProviderHost;
    policy: BoundResource;
    /** When this test's fixture was seeded (tag ages are relative to it). */
    now: number;
    /** The host's DOCR_RETENTION_PLAN_DIR: this block's own, emptied before each test (a check's file bounds the next check, its cached inventories serve the next). */
    planDir: string;
}

/**
 * Registers the hooks: start the world before the block, a freshly seeded account before each
 * test, stop it after. Returns a getter: the world exists once the `before` hook has run.
 */
export function usePolicyWorld(options: { name: string; gcStepMs: number; seed: number }): () => PolicyWorld {
    const policyWorld = {} as PolicyWorld;
    let world: World | undefined;
    before(async () => {
        policyWorld.planDir = mkdtempSync(join(tmpdir(), `docr-plans-${options.name}-`));
        const hostEnv = { ...HOST_ENV, DOCR_RETENTION_PLAN_DIR: policyWorld.planDir };
        world = await startWorld({ emulator: { gcStepMs: options.gcStepMs, seed: options.seed }, hostEnv });
        policyWorld.emu = world.emulator;
        policyWorld.host = world.host;
        policyWorld.policy = await world.resource("RetentionPolicy", options.name);
    });
    beforeEach(() => {
        rmSync(join(policyWorld.planDir, "checks"), { recursive: true, force: true });
        rmSync(join(policyWorld.planDir, "inventories"), { recursive: true, force: true });
        policyWorld.emu.reset();
        policyWorld.now = Date.now();
        policyWorld.emu.seed(fixture(policyWorld.now));
        policyWorld.host.clearOutput();
    });
    after(async () => {
        await world?.stop();
        rmSync(policyWorld.planDir, { recursive: true, force: true });
    });
    return () => policyWorld;
}

/**
 * Another provider host (another process, as the update's check often is) on the world's emulator
 * and plan directory, with `env` added; the caller stops it.
 */
export async function startPolicyHost(
    world: PolicyWorld,
    name: string,
    env: NodeJS.ProcessEnv = {},
): Promise<{ host: ProviderHost; policy: BoundResource }> {
    const host = await startProviderHost({ env: { ...HOST_ENV, DOCR_RETENTION_PLAN_DIR: world.planDir, ...env } });
    await host.configure({ "digitalocean:token": world.emu.token, "digitalocean:apiUrl": world.emu.url });
    const provider = await serializedProvider("RetentionPolicy");
    return { host, policy: bindResource(host, provider, urn("pulumi-nodejs:dynamic/docr:RetentionPolicy", name)) };
}
