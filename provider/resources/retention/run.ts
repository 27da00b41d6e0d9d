/** One run of a retention policy (create/update): plan from the live registry, delete, collect. */
import { messageOf } from "../../client/errors";
import type { DocrClient } from "../../client";
import { startOrJoin, waitForRun } from "../garbage-collection-run";
import { type ApplyResult, applyRequests } from "./apply";
import { describeCost } from "./cost";
import { type CheckedRetentionInputs, RETENTION_DEFAULTS } from "./inputs";
import type { CacheUse } from "./inventory";
import { budgetOf, computePlan, costOf, type LivePlan, noMatchLine } from "./live-plan";
import { previewPlanSchema } from "./schema";
import { writePlanFile } from "./plan-file";
import { contentOf, countsOf, mergeRequests, minus, type RequestCounts, splitAtBudget, withinBound } from "./requests";
import { freedBytes, type RepositoryRequests } from "./select";
import { describePlan, planDigest, type PlanSummary, summarizePlan } from "./summary";

/** The GC type a policy starts: never "untagged manifests", which would reach beyond the policy's rules. */
export const POLICY_GC_TYPE = "unreferenced blobs only";

/** The digest recorded when deletions completed but the garbage collection did not. */
export const GC_INCOMPLETE = "incomplete:garbage-collection";

/** What a run adds to the inputs in state. */
export interface RunOutputs {
    /** When the policy last ran (ISO 8601). */
    lastRunAt: string;
    /** Tags the last run removed, those that went with their manifest or repository included (0 in a dry run). */
    deletedTags: number;
    /** Manifests the last run deleted (0 in a dry run). */
    deletedManifests: number;
    /** Repositories the last run deleted, emptied by the plan (`deleteEmptiedRepositories`; 0 in a dry run). */
    deletedRepositories: number;
    /** Bytes freed: reported by the garbage collection when one ran (`freedBytesSource: "garbage-collection"`), else the plan's estimate (0 in a dry run). */
    freedBytes: number;
    /** Where `freedBytes` comes from: the garbage collection's report, the plan's estimate, or `none` (dry run). */
    freedBytesSource: "garbage-collection" | "estimate" | "none";
    /** The plan of the last run, summarised: counts and estimated bytes per repository. */
    plannedDeletions: PlanSummary;
    /** The garbage collection the last run started or joined, when it ran one. */
    garbageCollectionUuid?: string;
    /** Digest of what is left to delete: the plan in a dry run, nothing after a complete run (a change re-runs the policy). */
    planDigest: string;
    /**
     * What the current plan still holds after the last run: past `maxDeletionsPerRun`, newly
     * selected since the preview, or failed. While it is not zero, the next `pulumi up` runs again.
     */
    remainingDeletions: RequestCounts;
    /** The JSON file the last run wrote its whole plan to (every selected tag and digest), on the machine that ran it, when it could be written. */
    planFile?: string;
}

/** A run that stopped half-way: the host records `properties` (what was done) under `id`. */
export type PartialFailure = Error & { id?: string; properties?: Record<string, unknown>; reasons?: string[] };

/**
 * The host sends a partial failure's properties in one gRPC header block, and Node's http2 drops
 * blocks over 64 KB: the engine would then wait forever. Properties carry `__provider`, a few KB
 * for an installed package but ~100 KB when the provider is inlined (run from a source checkout).
 * Past this size the error is a plain one: the engine keeps the previous state, and the next
 * `pulumi up` still re-runs the policy because the live plan differs from the recorded digest.
 */
const MAX_PARTIAL_PROPERTIES_CHARS = 40_000;

export function partialFailure(message: string, id: string, properties: Record<string, unknown>): PartialFailure {
    // A plain Error (not a project class): its message survives closure serialization.
    const error: PartialFailure = new Error(message);
    if (JSON.stringify(properties).length > MAX_PARTIAL_PROPERTIES_CHARS) return error;
    return Object.assign(error, { id, properties, reasons: [message] });
}

const NOTHING: RequestCounts = { requests: 0, tags: 0, manifests: 0, repositories: 0 };

/** How a run is told about its context. */
export interface RunOptions {
    /** The last run deleted but its garbage collection did not complete: start one even if nothing is deleted now. */
    retryGarbageCollection?: boolean;
    warn?: (message: string) => void;
    /** The API URL, to key the on-disk inventories; without it the run lists everything afresh. */
    endpoint?: string;
}

type Base = Omit<CheckedRetentionInputs, "previewPlan"> & {
    lastRunAt: string;
    plannedDeletions: PlanSummary;
    planFile?: string;
};

/** What a run of the current plan sends: the part of it the preview also listed, within the budget. */
interface RunRequests {
    thisRun: RepositoryRequests[];
    /** Newly selected since the preview. */
    waiting: RepositoryRequests[];
    /** Past the budget. */
    later: RepositoryRequests[];
    newlySelected: RequestCounts;
}

/**
 * Where a run's inventory comes from: a dry run deletes nothing and takes every unchanged
 * repository from the cache; a run that deletes lists afresh each repository the preview planned
 * deletions in (all of them without a preview), and takes the rest from the cache.
 */
function cacheFor(
    previewed: RepositoryRequests[] | undefined,
    dryRun: boolean,
    now: number,
    endpoint?: string,
): CacheUse | undefined {
    if (endpoint === undefined) return undefined;
    if (dryRun) return { endpoint, now, fresh: () => false };
    if (previewed === undefined) return { endpoint, now, fresh: () => true };
    const planned = new Set(previewed.map((r) => r.name));
    return { endpoint, now, fresh: (name) => planned.has(name) };
}

/** Logs the plan, writes its file, and returns what every outcome of the run records. */
function reportPlan(
    live: LivePlan,
    inputs: CheckedRetentionInputs,
    digest: string,
    now: number,
    dryRun: boolean,
    log: (m: string) => void,
    warn: (m: string) => void,
): Base {
    const { plan } = live;
    const noMatch = noMatchLine(live, inputs);
    if (noMatch) log(noMatch);
    for (const line of describePlan(plan, dryRun ? "dry run, would delete" : "selected")) log(line);
    const planFile = plan.repositories.length > 0 ? writePlanFile(plan, digest, "run", now, warn) : undefined;
    if (planFile) log(`retention: the whole plan (every tag and digest): ${planFile}`);
    const { previewPlan: _bound, ...kept } = inputs;
    return {
        ...kept,
        lastRunAt: new Date(now).toISOString(),
        plannedDeletions: summarizePlan(plan),
        ...(planFile ? { planFile } : {}),
    };
}

/** The current plan's requests within the preview's bound and the budget; logs what waits. */
function requestsOf(
    live: LivePlan,
    inputs: CheckedRetentionInputs,
    previewed: RepositoryRequests[] | undefined,
    log: (m: string) => void,
): RunRequests {
    const budget = budgetOf(inputs);
    const current = live.plan.repositories.map((r) => r.requests);
    let allowed: RepositoryRequests[] = current;
    let waiting: RepositoryRequests[] = [];
    let newlySelected = NOTHING;
    if (previewed !== undefined) {
        ({ allowed, waiting } = withinBound(current, previewed));
        // The preview carried only its budget's part: what waits within that part is new since the preview, the rest is past the budget.
        newlySelected = countsOf(withinBound(splitAtBudget(current, budget).now, previewed).waiting);
        if (newlySelected.requests > 0) {
            log(
                `retention: ${newlySelected.tags} tags and ${newlySelected.manifests} manifests newly selected since the preview wait for the next pulumi up ` +
                    "(this run deletes at most what the preview listed)",
            );
        }
    } else {
        log(
            "retention: no previewed plan (check had no token or could not read the registry): applying the plan computed now",
        );
    }
    const { now: thisRun, later } = splitAtBudget(allowed, budget);
    const overBudget = minus(countsOf([...waiting, ...later]), newlySelected);
    for (const line of describeCost(costOf(live, thisRun), overBudget, budget, "this run")) log(line);
    return { thisRun, waiting, later, newlySelected };
}

/** Starts (or joins) a garbage collection and waits for it; a failure is a partial failure with the deletions recorded. */
async function collectGarbage(
    client: DocrClient,
    id: string,
    inputs: CheckedRetentionInputs,
    done: ApplyResult,
    complete: Base & RunCountsAndDigest,
    estimate: number,
    log: (m: string) => void,
): Promise<CheckedRetentionInputs & RunOutputs> {
    try {
        const { run, joined } = await startOrJoin(client, inputs.registryName, POLICY_GC_TYPE);
        if (joined) log(`retention: joined the active garbage collection ${run.uuid}`);
        const timeoutMs = (inputs.gcTimeoutMinutes ?? RETENTION_DEFAULTS.gcTimeoutMinutes) * 60_000;
        const final = await waitForRun(client, inputs.registryName, run, { timeoutMs, log });
        if (final.status !== "succeeded")
            throw new Error(`garbage collection ${final.uuid} ended with status "${final.status}"`);
        return {
            ...complete,
            freedBytes: final.freed_bytes ?? 0,
            freedBytesSource: "garbage-collection",
            garbageCollectionUuid: final.uuid,
        };
    } catch (err) {
        throw partialFailure(
            `retention policy on registry "${inputs.registryName}": deleted ${done.deletedTags} tags and ${done.deletedManifests} manifests, ` +
                `but garbage collection did not complete: ${messageOf(err)}`,
            id,
            { ...complete, freedBytes: estimate, freedBytesSource: "estimate", planDigest: GC_INCOMPLETE },
        );
    }
}

type RunCountsAndDigest = Pick<
    RunOutputs,
    "deletedTags" | "deletedManifests" | "deletedRepositories" | "remainingDeletions" | "planDigest"
>;

/** What a run records after deleting; a {@link PartialFailure} when some deletions failed. */
function settle(
    id: string,
    inputs: CheckedRetentionInputs,
    base: Base,
    requests: RunRequests,
    done: ApplyResult,
    log: (m: string) => void,
): Base & RunCountsAndDigest {
    const remaining = mergeRequests(requests.waiting, requests.later, done.undone);
    const left = countsOf(remaining);
    const remainingDigest = planDigest({ registryName: inputs.registryName, repositories: contentOf(remaining) });
    const counts = {
        deletedTags: done.deletedTags,
        deletedManifests: done.deletedManifests,
        deletedRepositories: done.deletedRepositories,
        remainingDeletions: left,
    };
    log(
        `retention: deleted ${done.deletedTags} tags, ${done.deletedManifests} manifests and ${done.deletedRepositories} repositories ` +
            `in ${done.deletions} deletions (+${done.listings} listings before deleting by digest)`,
    );
    if (done.failures.length > 0) {
        const message =
            `retention policy on registry "${inputs.registryName}" stopped part-way: deleted ${done.deletedTags} tags and ` +
            `${done.deletedManifests} manifests; ${done.failures.length} deletions failed (first: ${done.failures[0]}). ` +
            `Nothing protected was touched; run pulumi up again to finish.`;
        // "incomplete:" never equals a computed digest, so the next diff re-runs the policy.
        throw partialFailure(message, id, {
            ...base,
            ...counts,
            freedBytes: 0,
            freedBytesSource: "none",
            planDigest: `incomplete:${remainingDigest}`,
        });
    }
    if (done.skippedManifests > 0)
        log(`retention: left ${done.skippedManifests} planned manifests alone: they carry tags the plan did not list`);
    if (left.requests > 0) {
        log(
            `retention: ${left.requests} deletions (${left.tags} tags, ${left.manifests} manifests) left for the next pulumi up, which plans afresh`,
        );
    }
    return { ...base, ...counts, planDigest: remainingDigest };
}

/**
 * Runs the policy. The registry is read again and the rules applied to what it holds now, but the
 * run deletes only what is also in `previewPlan`, the requests `check` computed for this run: the
 * preview is an upper bound. What the rules newly select since (a push moved an older tag out of
 * the newest N, say) waits for the next run's preview, and so does what exceeds
 * `maxDeletionsPerRun`. Throws a {@link PartialFailure} when some deletions failed.
 */
export async function runPolicy(
    client: DocrClient,
    id: string,
    inputs: CheckedRetentionInputs,
    log: (message: string) => void,
    options: RunOptions = {},
): Promise<CheckedRetentionInputs & RunOutputs> {
    const now = Date.now();
    const dryRun = inputs.dryRun ?? RETENTION_DEFAULTS.dryRun;
    // The requests check computed for this run (`undefined`: none, or not readable).
    const parsed = previewPlanSchema.safeParse(inputs.previewPlan);
    const previewed = parsed.success ? parsed.data : undefined;
    const live = await computePlan(client, inputs, now, cacheFor(previewed, dryRun, now, options.endpoint));
    const digest = planDigest(live.plan);
    const base = reportPlan(live, inputs, digest, now, dryRun, log, options.warn ?? log);
    if (dryRun) {
        return {
            ...base,
            deletedTags: 0,
            deletedManifests: 0,
            deletedRepositories: 0,
            freedBytes: 0,
            freedBytesSource: "none",
            planDigest: digest,
            remainingDeletions: NOTHING,
        };
    }
    const requests = requestsOf(live, inputs, previewed, log);
    const done = await applyRequests(client, live.plan.registryName, requests.thisRun, budgetOf(inputs), log);
    const complete = settle(id, inputs, base, requests, done, log);
    // What this run deleted frees, not the whole plan: a run within its budget may have done part of it.
    const estimate =
        complete.remainingDeletions.requests === 0
            ? live.plan.bytes
            : freedBytes(live.inventory, new Set(done.goneManifests)).total;
    const collect = inputs.garbageCollect ?? RETENTION_DEFAULTS.garbageCollect;
    // A GC that did not complete last time is started again even when nothing new was deleted.
    if (
        !collect ||
        (done.deletedTags + done.deletedManifests + done.deletedRepositories === 0 && !options.retryGarbageCollection)
    ) {
        if (collect) log("retention: nothing deleted; garbage collection not started");
        return { ...complete, freedBytes: estimate, freedBytesSource: "estimate" };
    }
    return collectGarbage(client, id, inputs, done, complete, estimate, log);
}
