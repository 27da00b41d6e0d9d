import { existsSync } from "node:fs";
import { deleteClusterCore, resetCore, seedCore } from "./admin";
import type { FaultRule } from "./faults";
import { parseFixture, readFixture, type Fixture } from "./fixtures";
import type { RequestRecord } from "./requestlog";
import { EmulatorCore } from "./server";
import type { CredentialRecord, EmulatorState } from "./types";

export type { FaultRecord, FaultRule } from "./faults";
export type {
    Fixture,
    FixtureBlob,
    FixtureCluster,
    FixtureManifest,
    FixtureRegistry,
    FixtureRepository,
} from "./fixtures";
export { generateRepository, type GenerateOptions } from "./generate";
export type { RequestRecord } from "./requestlog";
export type {
    BlobState,
    ClusterState,
    CredentialRecord,
    EmulatorState,
    GcState,
    GcStatus,
    GcType,
    ManifestState,
    RegistryState,
    RepositoryState,
    SubscriptionState,
    TierSlug,
} from "./types";

/** Options of `startEmulator` (docs/CONTRACTS.md). */
export interface EmulatorOptions {
    /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
    port?: number;
    /** Bearer token the API accepts; default: the one kept in `statePath`, else a random one. */
    token?: string;
    /** Makes fault rates and generated ids (request ids, GC uuids, credentials) deterministic. */
    seed?: number;
    /** Seed data, or the path of a JSON file holding it; with `statePath`, applied only when that file does not exist yet. */
    fixture?: Fixture | string;
    /** Load state from this file if it exists and persist it (atomically) after every change. */
    statePath?: string;
    /**
     * Requests per sliding minute; default 250; 0 or Infinity disables this window's 429s, and the
     * hour's too unless `rateLimitPerHour` is given.
     */
    rateLimitPerMinute?: number;
    /**
     * Requests per sliding hour; default 5,000 (0 when `rateLimitPerMinute` disables limiting);
     * 0 or Infinity disables this window's 429s. The
     * `ratelimit-*` headers describe this window (the hourly quota), as the API's do.
     */
    rateLimitPerHour?: number;
    /** Length of the "minute" window in ms; default 60,000 (tests and benches shorten it). */
    minuteWindowMs?: number;
    /** Length of the "hour" window in ms; default 3,600,000 (tests and benches shorten it). */
    hourWindowMs?: number;
    /** Time each garbage-collection stage takes; default 200 ms. */
    gcStepMs?: number;
    /** Initial fault rules. */
    faults?: FaultRule[];
}

/** A started emulator. */
export interface RunningEmulator {
    /** `http://127.0.0.1:<port>` (use as DIGITALOCEAN_API_URL). */
    url: string;
    /** The accepted bearer token. */
    token: string;
    /** Closes the server and all connections; state is flushed first. */
    stop(): Promise<void>;
    /** API requests seen so far, oldest first (admin routes are not logged). */
    requests(): RequestRecord[];
    /** Empties the request log. */
    clearRequests(): void;
    /** Replaces the fault rules (hit counters and the seeded PRNG restart). */
    setFaults(rules: FaultRule[]): void;
    /** Merges a fixture into the state. */
    seed(fixture: Fixture): void;
    /** Removes a DOKS cluster (as if deleted outside any stack); throws when there is none. */
    deleteCluster(id: string): void;
    /** Back to a fresh account (also clears requests, credentials, faults and the rate-limit window). */
    reset(): void;
    /** Deep copy of the account state, with garbage collections settled up to now. */
    snapshot(): EmulatorState;
    /** Docker credentials issued so far. */
    credentials(): CredentialRecord[];
}

/** Default step length of a garbage collection. */
export const DEFAULT_GC_STEP_MS = 200;
/** The API's documented per-minute limit. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 250;
/** The API's documented hourly quota. */
export const DEFAULT_RATE_LIMIT_PER_HOUR = 5000;

function limits(perMinute: number | undefined): boolean {
    return perMinute === undefined || (Number.isFinite(perMinute) && perMinute > 0);
}

function windowMs(name: string, value: number | undefined, fallback: number): number {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value <= 0)
        throw new Error(`${name} must be a positive number of milliseconds, got ${String(value)}`);
    return value;
}

/** Starts a DOCR API emulator on 127.0.0.1. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
    // A state file that exists already holds what the fixture seeded, and every change since.
    const resumed = options.statePath !== undefined && existsSync(options.statePath);
    const core = new EmulatorCore({
        ...(options.token !== undefined ? { token: options.token } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.statePath !== undefined ? { statePath: options.statePath } : {}),
        rateLimitPerMinute: options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
        // "0 disables limiting" kept its meaning when the hour came in: no minute and no hour, unless
        // the hour is set too.
        rateLimitPerHour:
            options.rateLimitPerHour ?? (limits(options.rateLimitPerMinute) ? DEFAULT_RATE_LIMIT_PER_HOUR : 0),
        minuteWindowMs: windowMs("minuteWindowMs", options.minuteWindowMs, 60_000),
        hourWindowMs: windowMs("hourWindowMs", options.hourWindowMs, 3_600_000),
        gcStepMs: options.gcStepMs ?? DEFAULT_GC_STEP_MS,
        faults: options.faults ?? [],
    });
    if (options.fixture !== undefined && !resumed) {
        const fixture =
            typeof options.fixture === "string" ? readFixture(options.fixture) : parseFixture(options.fixture);
        seedCore(core, fixture);
    }
    const url = await core.listen(options.port ?? 0);
    return {
        url,
        token: core.token,
        stop: () => core.close(),
        requests: () => core.log.list(),
        clearRequests: () => core.log.clear(),
        setFaults: (rules) => core.faults.set(rules),
        seed: (fixture) => seedCore(core, parseFixture(fixture)),
        deleteCluster: (id) => deleteClusterCore(core, id),
        reset: () => resetCore(core),
        snapshot: () => {
            core.store.settle(Date.now());
            core.store.flush();
            return structuredClone(core.store.state);
        },
        credentials: () => structuredClone(core.store.state.credentials),
    };
}
