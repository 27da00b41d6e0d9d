/** One run of a retention policy (create/update): plan from the live registry, delete, collect. */
import type { DocrClient } from "../../client";
import { startOrJoin, waitForRun } from "../garbage-collection-run";
import { applyPlan } from "./apply";
import { CheckedRetentionInputs, RETENTION_DEFAULTS, rulesOf } from "./inputs";
import { readInventory } from "./inventory";
import { Plan, selectDeletions } from "./select";
import { describePlan, planDigest, PlanSummary, summarizePlan } from "./summary";

/** The GC type a policy starts: never "untagged manifests", which would reach beyond the policy's rules. */
export const POLICY_GC_TYPE = "unreferenced blobs only";

/** The digest recorded when deletions completed but the garbage collection did not. */
export const GC_INCOMPLETE = "incomplete:garbage-collection";

/** What a run adds to the inputs in state. */
export interface RunOutputs {
    lastRunAt: string;
    deletedTags: number;
    deletedManifests: number;
    /** Bytes freed: reported by the garbage collection when one ran, else the plan's estimate (0 in a dry run). */
    freedBytes: number;
    freedBytesSource: "garbage-collection" | "estimate" | "none";
    plannedDeletions: PlanSummary;
    garbageCollectionUuid?: string;
    /** Digest of what is left to delete: the plan in a dry run, nothing after a complete run. */
    planDigest: string;
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

/** Plans against the live registry. */
export async function computePlan(client: DocrClient, inputs: CheckedRetentionInputs, now: number): Promise<Plan> {
    const rules = rulesOf(inputs);
    const inventory = await readInventory(client, inputs.registryName, rules.repositories, rules.deleteUntaggedManifests);
    return selectDeletions(inventory, rules, now);
}

/**
 * Runs the policy. The plan is recomputed here rather than trusted from `check`: deletions are
 * decided on what the registry holds now, with the same rules, so nothing protected can be hit by
 * a stale plan. Throws a {@link PartialFailure} when some deletions failed.
 */
export async function runPolicy(
    client: DocrClient,
    id: string,
    inputs: CheckedRetentionInputs,
    log: (message: string) => void,
    options: { retryGarbageCollection?: boolean } = {},
): Promise<CheckedRetentionInputs & RunOutputs> {
    const now = Date.now();
    const plan = await computePlan(client, inputs, now);
    const digest = planDigest(plan);
    if (inputs.planDigest !== undefined && inputs.planDigest !== digest) {
        log(`retention: registry "${inputs.registryName}" changed since the plan was computed; applying the current plan (same rules)`);
    }
    const dryRun = inputs.dryRun ?? RETENTION_DEFAULTS.dryRun;
    for (const line of describePlan(plan, dryRun ? "dry run, would delete" : "deleting")) log(line);
    const base = { ...inputs, lastRunAt: new Date(now).toISOString(), plannedDeletions: summarizePlan(plan) };
    if (dryRun) {
        return { ...base, deletedTags: 0, deletedManifests: 0, freedBytes: 0, freedBytesSource: "none", planDigest: digest };
    }
    const done = await applyPlan(client, plan, log);
    const counts = { deletedTags: done.deletedTags, deletedManifests: done.deletedManifests };
    if (done.failures.length > 0) {
        const remaining = planDigest({ registryName: plan.registryName, repositories: done.remaining });
        const message =
            `retention policy on registry "${inputs.registryName}" stopped part-way: deleted ${done.deletedTags} tags and ` +
            `${done.deletedManifests} manifests; ${done.failures.length} deletions failed (first: ${done.failures[0]}). ` +
            `Nothing protected was touched; run pulumi up again to finish.`;
        // "incomplete:" never equals a computed digest, so the next diff re-runs the policy.
        throw partialFailure(message, id, { ...base, ...counts, freedBytes: 0, freedBytesSource: "none", planDigest: `incomplete:${remaining}` });
    }
    if (done.skippedManifests > 0) log(`retention: left ${done.skippedManifests} planned manifests alone: they carry tags again`);
    const empty = planDigest({ registryName: plan.registryName, repositories: [] });
    const complete = { ...base, ...counts, planDigest: empty };
    const collect = inputs.garbageCollect ?? RETENTION_DEFAULTS.garbageCollect;
    // A GC that did not complete last time is started again even when nothing new was deleted.
    if (!collect || (done.deletedTags + done.deletedManifests === 0 && !options.retryGarbageCollection)) {
        if (collect) log("retention: nothing deleted; garbage collection not started");
        return { ...complete, freedBytes: plan.bytes, freedBytesSource: "estimate" };
    }
    try {
        const { run, joined } = await startOrJoin(client, inputs.registryName, POLICY_GC_TYPE);
        if (joined) log(`retention: joined the active garbage collection ${run.uuid}`);
        const timeoutMs = (inputs.gcTimeoutMinutes ?? RETENTION_DEFAULTS.gcTimeoutMinutes) * 60_000;
        const final = await waitForRun(client, inputs.registryName, run, { timeoutMs, log });
        if (final.status !== "succeeded") throw new Error(`garbage collection ${final.uuid} ended with status "${final.status}"`);
        return { ...complete, freedBytes: final.freed_bytes ?? 0, freedBytesSource: "garbage-collection", garbageCollectionUuid: final.uuid };
    } catch (err) {
        const reason = err instanceof Object && "message" in err ? String((err as { message: unknown }).message) : String(err);
        throw partialFailure(
            `retention policy on registry "${inputs.registryName}": deleted ${done.deletedTags} tags and ${done.deletedManifests} manifests, ` +
                `but garbage collection did not complete: ${reason}`,
            id,
            { ...complete, freedBytes: plan.bytes, freedBytesSource: "estimate", planDigest: GC_INCOMPLETE },
        );
    }
}
