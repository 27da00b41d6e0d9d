/** A plan against the live registry, what a run of it costs, and what to say when the globs match nothing. */
import type { DocrClient } from "../../client";
import { configuredRequestsPerMinute, pagesOf, type RunCost } from "./cost";
import { RETENTION_DEFAULTS, type RetentionInputs, rulesOf } from "./inputs";
import { type CacheUse, readInventory } from "./inventory";
import { countsOf } from "./requests";
import { type Inventory, type Plan, type RepositoryRequests, selectDeletions } from "./select";

/** A plan against the live registry, and what reading the registry cost. */
export interface LivePlan {
    plan: Plan;
    inventory: Inventory;
    /** Requests of the repositories listing (pages of 200). */
    repositoryPages: number;
    /** Every repository of the registry, by name. */
    repositoryNames: string[];
    /** Repositories taken from the on-disk cache. */
    reused: number;
}

export async function computePlan(
    client: DocrClient,
    inputs: RetentionInputs,
    now: number,
    cache?: CacheUse,
): Promise<LivePlan> {
    const rules = rulesOf(inputs);
    const read = await readInventory(
        client,
        inputs.registryName,
        rules.repositories,
        rules.deleteUntaggedManifests,
        cache,
    );
    return {
        plan: selectDeletions(read.inventory, rules, now),
        inventory: read.inventory,
        repositoryPages: pagesOf(read.repositoryNames.length),
        repositoryNames: read.repositoryNames,
        reused: read.reused,
    };
}

export function budgetOf(inputs: RetentionInputs): number {
    return inputs.maxDeletionsPerRun ?? RETENTION_DEFAULTS.maxDeletionsPerRun;
}

/**
 * A run's requests: the repositories listing, a fresh listing of each repository it deletes from
 * (tags and manifests; the others come from the cache), each one's manifests again just before
 * deleting by digest, and the deletions.
 */
export function costOf(live: LivePlan, requests: readonly RepositoryRequests[]): RunCost {
    const sizes = new Map(live.inventory.repositories.map((r) => [r.name, r]));
    let listings = live.repositoryPages;
    for (const r of requests) {
        const listed = sizes.get(r.name);
        const manifestPages = pagesOf(listed?.manifests.length ?? 0);
        listings += pagesOf(listed?.tags.length ?? 0) + manifestPages;
        if (r.repository || r.manifests.length > 0) listings += manifestPages;
    }
    return { listings, deletions: countsOf(requests).requests, requestsPerMinute: configuredRequestsPerMinute() };
}

const NAMES_SHOWN = 20;

/** The log line when the globs match no repository (the plan is then empty for a reason the user should see), else undefined. */
export function noMatchLine(live: LivePlan, inputs: RetentionInputs): string | undefined {
    if (live.inventory.repositories.length > 0) return undefined;
    const globs = JSON.stringify(rulesOf(inputs).repositories);
    const names = live.repositoryNames;
    if (names.length === 0) return `retention: registry "${inputs.registryName}" has no repositories yet`;
    const shown =
        names.slice(0, NAMES_SHOWN).join(", ") +
        (names.length > NAMES_SHOWN ? `, … (+${names.length - NAMES_SHOWN})` : "");
    return (
        `retention: repositories ${globs} match none of the ${names.length} repositories of registry ` +
        `"${inputs.registryName}": ${shown}`
    );
}
