/**
 * The figures of bench/operations.ts for reads that one host process shares
 * (provider/resources/shared-reads.ts): a refresh of a stack and the checks of new registries,
 * every call issued at once as the engine does, counted at the emulator. Each in its own host, so
 * that nothing another section read is shared with it.
 */
import type { RequestRecord } from "../../emulator";
import { startWorld, type World } from "../../harness/world";

const REGISTRIES = 10;
const CREDENTIALS = 50;
/** The issue's budget for the refresh: ceil(10 / 200) listings, and one to spare. */
export const REFRESH_FLOOR = 2;

export interface SharedReadFigures {
    /** Requests of the refresh of 10 Registry and 50 RegistryCredentials reads. */
    refreshRequests: RequestRecord[];
    /** Requests of 10 checks of new registries (each new name is asked about once). */
    checkRequests: RequestRecord[];
    lines: string[];
}

function byOperation(requests: RequestRecord[]): string {
    const counts = new Map<string, number>();
    for (const r of requests) counts.set(r.operationId, (counts.get(r.operationId) ?? 0) + 1);
    return [...counts].map(([op, c]) => `${op}${c > 1 ? ` x${c}` : ""}`).join(", ") || "none";
}

/** A fresh host per figure: nothing one figure read is shared with the next. */
async function inFreshHost<T>(run: (world: World) => Promise<T>): Promise<T> {
    const world = await startWorld({ callTimeoutMs: 120_000, hostEnv: { DOCR_MAX_REQUESTS_PER_MINUTE: "1000000" } });
    try {
        return await run(world);
    } finally {
        await world.stop();
    }
}

async function refreshFigure(world: World): Promise<{ requests: RequestRecord[]; ms: number }> {
    const { emulator } = world;
    const names = Array.from({ length: REGISTRIES }, (_, i) => `bench-refresh-${i}`);
    emulator.seed({ subscriptionTier: "professional", registries: names.map((name) => ({ name, region: "fra1" })) });
    const reg = await world.resource("Registry", "refresh");
    const creds = await world.resource("RegistryCredentials", "refresh");
    // Credentials issued for real (the refresh must find what create wrote). Issuing lists nothing,
    // so the refresh starts with no listing to share.
    const issued = await Promise.all(
        Array.from({ length: CREDENTIALS }, (_, i) =>
            creds.create({ registryName: names[i % REGISTRIES], readWrite: false, expirySeconds: 3600 }),
        ),
    );
    emulator.clearRequests();
    const started = Date.now();
    const reads = await Promise.all([
        ...names.map((name) =>
            reg.read(name, { name, region: "fra1", serverUrl: `registry.digitalocean.com/${name}` }),
        ),
        ...issued.map((c) => creds.read(c.id, c.properties)),
    ]);
    const ms = Date.now() - started;
    const gone = reads.filter((r) => r.id === "").length;
    if (gone > 0) throw new Error(`the refresh read ${gone} resources as gone that exist`);
    return { requests: emulator.requests(), ms };
}

async function checkFigure(world: World): Promise<RequestRecord[]> {
    const { emulator } = world;
    const reg = await world.resource("Registry", "check");
    emulator.clearRequests();
    const checks = await Promise.all(
        Array.from({ length: REGISTRIES }, (_, i) =>
            reg.check({}, { name: `bench-new-${i}`, region: "fra1", subscriptionTierSlug: "professional" }),
        ),
    );
    const failed = checks.filter((c) => c.failures.length > 0);
    if (failed.length > 0) throw new Error(`check failed: ${JSON.stringify(failed[0].failures)}`);
    return emulator.requests();
}

export async function sharedReadFigures(): Promise<SharedReadFigures> {
    const refresh = await inFreshHost(refreshFigure);
    const checkRequests = await inFreshHost(checkFigure);
    return {
        refreshRequests: refresh.requests,
        checkRequests,
        lines: [
            `refresh of ${REGISTRIES} registries + ${CREDENTIALS} credentials, every read at once: ` +
                `${refresh.requests.length} request${refresh.requests.length === 1 ? "" : "s"} (${byOperation(refresh.requests)}), ${refresh.ms} ms; floor ${REFRESH_FLOOR} ` +
                `(one request per read before: ${REGISTRIES + CREDENTIALS})`,
            `${REGISTRIES} checks of new registries at once: ${checkRequests.length} requests (${byOperation(checkRequests)})`,
        ],
    };
}
