/** What a run costs in API requests, and roughly how long it takes at the configured rate. */
import { envNumber, POSITIVE } from "../../client";
import { DEFAULT_MAX_REQUESTS_PER_MINUTE } from "../../client/limiter";
import { PER_PAGE } from "../../client/pagination";
import type { RequestCounts } from "./requests";

/** Requests a listing of `items` takes (one page at least). */
export function pagesOf(items: number): number {
    return Math.max(1, Math.ceil(items / PER_PAGE));
}

/**
 * The client's per-minute limit as the resources' clients resolve it (they pass no option, so the
 * environment or the default decides), with the client's own parser: a bad value fails here as it
 * would there.
 */
export function configuredRequestsPerMinute(env: NodeJS.ProcessEnv = process.env): number {
    return envNumber("DOCR_MAX_REQUESTS_PER_MINUTE", POSITIVE, env) ?? DEFAULT_MAX_REQUESTS_PER_MINUTE;
}

/** A run's requests: the listings (inventory, and each repository's manifests again before deleting by digest) and the deletions. */
export interface RunCost {
    listings: number;
    deletions: number;
    requestsPerMinute: number;
}

export function totalOf(cost: RunCost): number {
    return cost.listings + cost.deletions;
}

/** `40 s`, `12 min`, `2.5 h`: at the limiter's pace (the API's answers add a little). */
export function formatDuration(ms: number): string {
    if (ms < 90_000) return `${Math.max(1, Math.round(ms / 1000))} s`;
    if (ms < 90 * 60_000) return `${Math.round(ms / 60_000)} min`;
    return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** The log line of a run's cost, and of what waits for the next run. */
export function describeCost(cost: RunCost, later: RequestCounts, budget: number, verb: string): string[] {
    const total = totalOf(cost);
    const lines = [
        `retention: ${verb} costs ~${total} requests (${cost.listings} listings + ${cost.deletions} deletions), ` +
            `about ${formatDuration((total / cost.requestsPerMinute) * 60_000)} at ${cost.requestsPerMinute} requests a minute`,
    ];
    if (later.requests > 0) {
        lines.push(
            `retention: ${later.requests} more deletions (${later.tags} tags, ${later.manifests} manifests) exceed ` +
                `maxDeletionsPerRun (${budget}) and wait for the next pulumi up`,
        );
    }
    return lines;
}
