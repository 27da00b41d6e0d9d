import { randomUUID } from "node:crypto";
import { messageOf, printable } from "../client/errors";
import * as pulumi from "@pulumi/pulumi";
import { hasToken, resolveApiUrl } from "../client/connection";
import { ConfiguredProvider, isUnknown, field } from "./common";
import { isRunDue } from "./retention/duration";
import { type CheckedRetentionInputs, crossFieldFailures, RETENTION_INPUT_KEYS } from "./retention/inputs";
import { previewOf } from "./retention/preview";
import { boundKey, consumeCheck, previewWindowMs, readEarlierCheck, writeCheck } from "./retention/preview-bound";
import { computePlan } from "./retention/live-plan";
import { GC_INCOMPLETE, type RunOutputs, runPolicy } from "./retention/run";
import { retentionInputsSchema } from "./retention/schema";
import { retentionSavingLine } from "./cost/retention-saving";
import { DocrResource } from "./resource";
import type { OutputPlaceholders, OutputProperties } from "./outputs";
import { validateInputs } from "./validate";

/** The arguments of a {@link RetentionPolicy}; docs/cleanup.md has the rules in full. */
export interface RetentionPolicyArgs {
    registryName: pulumi.Input<string>;
    /** Repository globs (`*` within a path segment, `**` across). Default: every repository. */
    repositories?: pulumi.Input<pulumi.Input<string>[]>;
    /** Newest tags kept per repository (by `updated_at`). Default 10. */
    keepLast?: pulumi.Input<number>;
    /** Regular expressions, as written (anchor them yourself): matching tags are never deleted. */
    keepTagsMatching?: pulumi.Input<pulumi.Input<string>[]>;
    /** Delete untagged manifests, including those this policy leaves without tags. Default false. */
    deleteUntaggedManifests?: pulumi.Input<boolean>;
    /** Only tags (and manifests) older than this many days are considered. Default 0. */
    olderThanDays?: pulumi.Input<number>;
    /** Start (or join) a garbage collection after deleting. Default false. */
    garbageCollect?: pulumi.Input<boolean>;
    /** How long to wait for that garbage collection. Default 30. */
    gcTimeoutMinutes?: pulumi.Input<number>;
    /** Report what would be deleted, delete nothing. Default false. */
    dryRun?: pulumi.Input<boolean>;
    /** Re-run on `pulumi up` once this long has passed since the last run: `"24h"`, `"30m"`, `"7d"`. */
    runEvery?: pulumi.Input<string>;
    /**
     * When the plan deletes every tag and manifest of a repository, delete the repository itself
     * (one request). Needs `deleteUntaggedManifests`. Default false: never a whole repository.
     */
    deleteEmptiedRepositories?: pulumi.Input<boolean>;
    /**
     * DELETE requests one run sends at most (a manifest whose tags all go is one request, its tags
     * with it). The rest waits: the next `pulumi up` runs again on a fresh plan. Default 1000.
     */
    maxDeletionsPerRun?: pulumi.Input<number>;
}

/** What a retention policy looks like in state. */
export type RetentionPolicyOutputs = CheckedRetentionInputs & RunOutputs;

/** A placeholder for each output, registered by the resource class under its arguments. */
const RETENTION_POLICY_OUTPUTS = {
    registryName: undefined,
    repositories: undefined,
    keepLast: undefined,
    keepTagsMatching: undefined,
    olderThanDays: undefined,
    deleteUntaggedManifests: undefined,
    garbageCollect: undefined,
    gcTimeoutMinutes: undefined,
    dryRun: undefined,
    deleteEmptiedRepositories: undefined,
    maxDeletionsPerRun: undefined,
    runEvery: undefined,
    previewPlan: undefined,
    lastRunAt: undefined,
    deletedTags: undefined,
    deletedManifests: undefined,
    deletedRepositories: undefined,
    freedBytes: undefined,
    freedBytesSource: undefined,
    plannedDeletions: undefined,
    garbageCollectionUuid: undefined,
    planDigest: undefined,
    remainingDeletions: undefined,
    planFile: undefined,
} satisfies OutputPlaceholders<RetentionPolicyOutputs>;

// Repository names, tags and run ids in these lines come from the API: written out, never raw.
function log(message: string): void {
    void pulumi.log.info(printable(message));
}

function warn(message: string): void {
    void pulumi.log.warn(printable(message));
}

/** The implementation of {@link RetentionPolicy}, run by Pulumi's dynamic-provider host. */
export class RetentionPolicyProvider extends ConfiguredProvider<CheckedRetentionInputs, RetentionPolicyOutputs> {
    /**
     * Validates, then (with a token and known inputs) plans against the live registry, at most what
     * the previous check of this policy allowed when it is recent (preview-bound.ts), logs the plan
     * and its cost, and records this run's requests.
     */
    async check(
        _olds: CheckedRetentionInputs,
        news: CheckedRetentionInputs,
    ): Promise<pulumi.dynamic.CheckResult<CheckedRetentionInputs>> {
        // What check added last time (CHECK_ADDED_KEYS) is not the user's: left out, and added anew below.
        const { planDigest: _digest, previewPlan: _plan, ...userNews } = news;
        const { inputs, failures, parsed: known, complete: parsed } = validateInputs(retentionInputsSchema, userNews);
        if (failures.length > 0 || !known) return { inputs, failures };
        const crossField = crossFieldFailures(known);
        if (crossField.length > 0) return { inputs, failures: crossField };
        const unknown = Object.entries(userNews).some(([key, value]) => key !== "__provider" && isUnknown(value));
        if (!parsed || unknown || !hasToken({ token: this.connection?.token })) return { inputs, failures: [] };
        // Read before planning: a bad value fails the check rather than silently widening the bound.
        const windowMs = previewWindowMs();
        const now = Date.now();
        const key = boundKey(parsed, this.endpoint());
        try {
            const cache = { endpoint: this.endpoint(), now, fresh: () => false };
            const live = await computePlan(this.client(), parsed, now, cache);
            const earlier = readEarlierCheck(key, now, windowMs, log);
            const { digest, run } = previewOf(live, parsed, log, warn, earlier, windowMs);
            // A bounded check keeps the earlier check's time: the bound ends a window after the plan the user first saw.
            writeCheck(key, run, earlier ? Date.parse(earlier.computedAt) : now, warn);
            const saving = await retentionSavingLine(
                this.connection,
                this.client(),
                parsed.registryName,
                live.plan.bytes,
            );
            if (saving) log(saving);
            // This run's requests ride in the checked inputs to the update: the preview bounds what it deletes.
            return {
                inputs: { ...inputs, planDigest: digest, ...(parsed.dryRun ? {} : { previewPlan: run }) },
                failures: [],
            };
        } catch (err) {
            // Planning is a courtesy at preview: the run plans again; a registry created by this update is not there yet.
            const reason = messageOf(err);
            warn(`retention: no plan for registry "${parsed.registryName}" yet: ${reason}`);
            // A look-up that failed now must not widen what an earlier check (the preview) allowed.
            const earlier = parsed.dryRun ? undefined : readEarlierCheck(key, now, windowMs, log);
            if (!earlier) return { inputs, failures: [] };
            log(`retention: the run deletes at most what the check at ${earlier.computedAt} listed`);
            return { inputs: { ...inputs, previewPlan: earlier.requests }, failures: [] };
        }
    }

    /** The API the plan is of, so that an emulator's checks never bound the real API's. */
    private endpoint(): string {
        return resolveApiUrl(this.connection?.apiUrl);
    }

    /** Offline: changed inputs, a changed plan digest, deletions left by the last run, or `runEvery` elapsed since `lastRunAt`. */
    diff(_id: string, olds: RetentionPolicyOutputs, news: CheckedRetentionInputs): Promise<pulumi.dynamic.DiffResult> {
        const changed = RETENTION_INPUT_KEYS.filter((key) => {
            const next = news[key];
            if (key === "planDigest" && next === undefined) return false; // no token at check: no opinion
            return isUnknown(next) || JSON.stringify(field(olds, key)) !== JSON.stringify(next);
        });
        const due = !isUnknown(news.runEvery) && isRunDue(olds.lastRunAt, news.runEvery, Date.now());
        const left = field(olds, "remainingDeletions");
        const workLeft =
            typeof left === "object" &&
            left !== null &&
            "requests" in left &&
            typeof left.requests === "number" &&
            left.requests > 0;
        return Promise.resolve({
            changes: changed.length > 0 || due || workLeft,
            replaces: [],
            deleteBeforeReplace: false,
        });
    }

    async create(inputs: CheckedRetentionInputs): Promise<pulumi.dynamic.CreateResult<RetentionPolicyOutputs>> {
        const id = `${inputs.registryName}-retention-${randomUUID().slice(0, 8)}`;
        try {
            return { id, outs: await runPolicy(this.client(), id, inputs, log, { warn, endpoint: this.endpoint() }) };
        } finally {
            consumeCheck(boundKey(inputs, this.endpoint()));
        }
    }

    read(id: string, props?: RetentionPolicyOutputs): Promise<pulumi.dynamic.ReadResult<RetentionPolicyOutputs>> {
        // The policy has no server-side object: what it did is what state says.
        return Promise.resolve({ id, props });
    }

    async update(
        id: string,
        olds: RetentionPolicyOutputs,
        news: CheckedRetentionInputs,
    ): Promise<pulumi.dynamic.UpdateResult<RetentionPolicyOutputs>> {
        try {
            return {
                outs: await runPolicy(this.client(), id, news, log, {
                    retryGarbageCollection: olds.planDigest === GC_INCOMPLETE,
                    warn,
                    endpoint: this.endpoint(),
                }),
            };
        } finally {
            consumeCheck(boundKey(news, this.endpoint()));
        }
    }

    async delete(): Promise<void> {
        // Removing a policy stops future cleanups; it never deletes images.
    }
}

/** The outputs of a {@link RetentionPolicy}, as properties (described in {@link RetentionPolicyOutputs}). */
export interface RetentionPolicy extends OutputProperties<RetentionPolicyOutputs> {}

/**
 * A tag retention policy for a DigitalOcean container registry, applied on `pulumi up`.
 *
 * ```ts
 * import { Registry, RetentionPolicy } from "pulumi-docr";
 *
 * const registry = new Registry("app", { name: "acme", region: "fra1", subscriptionTierSlug: "basic" });
 * new RetentionPolicy("keep-recent", {
 *     registryName: registry.name,
 *     repositories: ["api", "web/*"],
 *     keepLast: 20,
 *     keepTagsMatching: ["^v\\d+\\.\\d+\\.\\d+$", "^latest$"],
 *     deleteUntaggedManifests: true,
 *     olderThanDays: 14,
 *     garbageCollect: true,
 *     runEvery: "24h",
 * });
 * ```
 *
 * Preview logs what the policy would delete, what the run costs in requests, and the file with
 * the whole plan; the run deletes at most that (within `maxDeletionsPerRun`), and what waits is
 * done by the next `pulumi up`. `dryRun: true` only reports. Deleting the resource deletes no images.
 */
export class RetentionPolicy extends DocrResource {
    constructor(name: string, args: RetentionPolicyArgs, opts?: pulumi.CustomResourceOptions) {
        super("RetentionPolicy", name, { ...RETENTION_POLICY_OUTPUTS, ...args }, opts);
    }
}
