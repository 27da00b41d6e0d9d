import { ApiError, notFound } from "./errors";
import { validateFaultRules } from "./faults";
import { applyFixture, parseFixture, parseFixtureCluster, upsertCluster, type Fixture } from "./fixtures";
import type { RouteResult } from "./router";
import type { Core } from "./core";
import { emptyState } from "./state";

function json(raw: string): unknown {
    if (raw.trim() === "") return {};
    try {
        return JSON.parse(raw) as unknown;
    } catch {
        throw new ApiError(400, "bad_request", "invalid JSON body");
    }
}

function invalid(err: unknown): ApiError {
    return new ApiError(422, "unprocessable_entity", err instanceof Error ? err.message : String(err));
}

/**
 * Test-control routes under `/_emulator` (no auth: the server is loopback-only and `server.ts` refuses
 * what a web page could send, see `guard.ts`):
 * POST /seed, POST /reset, GET|PUT /faults, GET|DELETE /requests, GET /state, GET /credentials,
 * POST /clusters, DELETE /clusters/{id} (the API has no cluster create or delete here).
 */
export function handleAdmin(core: Core, method: string, path: string, rawBody: string): RouteResult {
    const key = `${method} ${path.replace(/\/$/, "")}`;
    core.store.settle(Date.now());
    const clusterId = /^DELETE \/clusters\/([^/]+)$/.exec(key)?.[1];
    if (clusterId !== undefined) {
        deleteClusterCore(core, decodeURIComponent(clusterId));
        return { status: 204 };
    }
    switch (key) {
        case "POST /seed": {
            let fixture;
            try {
                fixture = parseFixture(json(rawBody));
            } catch (err) {
                if (err instanceof ApiError) throw err;
                throw invalid(err);
            }
            seedCore(core, fixture);
            return { status: 200, body: { registries: core.store.state.registries.map((r) => r.name) } };
        }
        case "POST /clusters": {
            let spec;
            try {
                spec = parseFixtureCluster(json(rawBody), "cluster");
            } catch (err) {
                if (err instanceof ApiError) throw err;
                throw invalid(err);
            }
            const cluster = upsertCluster(core.store.state, spec, Date.now());
            core.store.touch();
            core.store.flush();
            return { status: 201, body: { cluster: structuredClone(cluster) } };
        }
        case "POST /reset":
            resetCore(core);
            return { status: 204 };
        case "GET /faults":
            return { status: 200, body: { faults: core.faults.list(), hits: core.faults.hitCounts() } };
        case "PUT /faults": {
            const body = json(rawBody);
            const rules = Array.isArray(body) ? body : (body as { faults?: unknown }).faults;
            try {
                core.faults.set(validateFaultRules(rules ?? []));
            } catch (err) {
                throw invalid(err);
            }
            return { status: 200, body: { faults: core.faults.list() } };
        }
        case "GET /requests":
            return { status: 200, body: { requests: core.log.list() } };
        case "DELETE /requests":
            core.log.clear();
            return { status: 204 };
        case "GET /state":
            return { status: 200, body: structuredClone(core.store.state) };
        case "GET /credentials":
            return { status: 200, body: { credentials: structuredClone(core.store.state.credentials) } };
        default:
            throw notFound(`no admin route ${key}`);
    }
}

/** Merges a fixture into the live state and persists it. */
export function seedCore(core: Core, fixture: Fixture): void {
    applyFixture(core.store.state, fixture, Date.now());
    core.store.touch();
    core.store.flush();
}

/** Removes a DOKS cluster, as if it had been deleted outside of any stack; 404 when there is none. */
export function deleteClusterCore(core: Core, id: string): void {
    const cluster = core.store.cluster(id);
    core.store.state.clusters = core.store.state.clusters.filter((c) => c !== cluster);
    core.store.touch();
    core.store.flush();
}

/** Back to a fresh account: state, credentials, request log, faults and rate-limit window. */
export function resetCore(core: Core): void {
    core.store.replace(emptyState());
    core.store.flush();
    core.log.clear();
    core.faults.set([]);
    core.limiter.reset();
    core.reseedIds();
}
