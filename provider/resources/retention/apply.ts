/** Carries out a run's requests: per repository, the repository or its manifests by digest, then single tags. */
import type { DocrClient } from "../../client";
import { errorKind, messageOf } from "../../client/errors";
import { collect } from "../../client/pagination";
import { manifestInfo } from "./inventory";
import { forEachLimited, throttledProgress } from "./pool";
import type { RepositoryRequests } from "./select";

/** Deletions in flight per policy; the client's shared limiter paces them further. */
const DELETE_CONCURRENCY = 4;
/** How often a long run reports how far it got. */
const PROGRESS_INTERVAL_MS = 10_000;

/** What an apply did. */
export interface ApplyResult {
    deletedTags: number;
    deletedManifests: number;
    deletedRepositories: number;
    /** DELETE requests sent (retries of one request count once). */
    deletions: number;
    /** Listings of manifests made just before deleting by digest. */
    listings: number;
    /** Planned manifests left alone because they carry a tag the plan did not list (their planned tags went one by one). */
    skippedManifests: number;
    /** Messages of deletions that failed (after the client's retries). */
    failures: string[];
    /** Manifests gone after the run, as `repo@digest` (for the freed-bytes estimate). */
    goneManifests: string[];
    /** What is still to do: failed, not started after a fatal error, or past the budget. */
    undone: RepositoryRequests[];
}

/** Errors after which starting more deletions cannot succeed. */
function isFatal(err: unknown): boolean {
    const kind = errorKind(err);
    return kind === "unauthorized" || kind === "forbidden" || kind === "configuration";
}

type Job = { kind: "manifest"; digest: string; tags: string[] } | { kind: "tag"; tag: string };

/**
 * Sends at most `budget` DELETE requests. A 404 means someone (or a lost response of our own
 * retried call) already deleted it: done. Deleting a manifest deletes every tag on it, and deleting
 * a repository everything in it, so just before, the repository's manifests are listed again: a
 * manifest is deleted by digest only while every tag on it is one the request lists (a tag pushed
 * onto it since planning protects it: its planned tags then go one by one), and a repository only
 * while it holds nothing the request does not list.
 */
export async function applyRequests(
    client: DocrClient,
    registryName: string,
    requests: readonly RepositoryRequests[],
    budget: number,
    log: (message: string) => void,
): Promise<ApplyResult> {
    const result: ApplyResult = {
        deletedTags: 0,
        deletedManifests: 0,
        deletedRepositories: 0,
        deletions: 0,
        listings: 0,
        skippedManifests: 0,
        failures: [],
        undone: [],
        goneManifests: [],
    };
    let stop = false;
    const fail = (err: unknown): void => {
        result.failures.push(messageOf(err));
        if (isFatal(err)) stop = true;
    };
    const progress = throttledProgress(log, PROGRESS_INTERVAL_MS);
    const undone = (r: RepositoryRequests): void => void result.undone.push(r);

    for (const r of requests) {
        if (stop || result.deletions >= budget) {
            undone(r);
            continue;
        }
        let live = new Map<string, string[]>();
        if (r.repository || r.manifests.length > 0) {
            try {
                result.listings += 1;
                const listed = await collect(client.listManifests(registryName, r.name));
                live = new Map(listed.map((m) => [m.digest, manifestInfo(m).tags]));
            } catch (err) {
                if (errorKind(err) !== "not_found") {
                    fail(err);
                    undone(r);
                    continue;
                }
            }
        }
        if (r.repository) {
            const planned = new Map(r.manifests.map((m) => [m.digest, new Set(m.tags)]));
            const holdsOnlyPlanned = [...live].every(([digest, tags]) =>
                tags.every((t) => planned.get(digest)?.has(t) === true),
            );
            if (holdsOnlyPlanned) {
                try {
                    if (live.size > 0) {
                        result.deletions += 1;
                        await client.deleteRepository(registryName, r.name);
                    }
                } catch (err) {
                    if (errorKind(err) !== "not_found") {
                        fail(err);
                        undone(r);
                        continue;
                    }
                }
                result.deletedRepositories += 1;
                result.deletedManifests += live.size;
                for (const m of r.manifests) result.goneManifests.push(`${r.name}@${m.digest}`);
                for (const tags of live.values()) result.deletedTags += tags.length;
                log(`retention:   ${r.name}: deleted the repository (${live.size} manifests)`);
                continue;
            }
            log(
                `retention:   ${r.name}: holds something the plan did not list; deleting manifest by manifest instead of the repository`,
            );
        }

        const jobs: Job[] = [];
        for (const m of r.manifests) {
            const tags = live.get(m.digest);
            if (tags === undefined) {
                result.goneManifests.push(`${r.name}@${m.digest}`);
                result.deletedManifests += 1; // already gone
                continue;
            }
            const listed = new Set(m.tags);
            if (tags.every((t) => listed.has(t))) {
                jobs.push({ kind: "manifest", digest: m.digest, tags });
            } else {
                result.skippedManifests += 1;
                for (const t of tags) if (listed.has(t)) jobs.push({ kind: "tag", tag: t });
            }
        }
        for (const tag of r.tags) jobs.push({ kind: "tag", tag });

        const left: RepositoryRequests = { name: r.name, repository: false, manifests: [], tags: [] };
        const leave = (job: Job): void => {
            if (job.kind === "manifest") left.manifests.push({ digest: job.digest, tags: job.tags });
            else left.tags.push(job.tag);
        };
        let next = 0;
        await forEachLimited(
            jobs,
            DELETE_CONCURRENCY,
            async (job, index) => {
                next = index + 1;
                if (result.deletions >= budget) return leave(job);
                result.deletions += 1;
                try {
                    if (job.kind === "manifest") await client.deleteManifest(registryName, r.name, job.digest);
                    else await client.deleteTag(registryName, r.name, job.tag);
                } catch (err) {
                    if (errorKind(err) !== "not_found") {
                        fail(err);
                        return leave(job);
                    }
                }
                if (job.kind === "manifest") {
                    result.goneManifests.push(`${r.name}@${job.digest}`);
                    result.deletedManifests += 1;
                    result.deletedTags += job.tags.length;
                } else {
                    result.deletedTags += 1;
                }
                progress(
                    () =>
                        `retention: ${result.deletions} deletions so far (${result.deletedTags} tags, ${result.deletedManifests} manifests)`,
                );
            },
            () => stop,
        );
        // Jobs never started (a fatal error stopped the pool) are left too.
        for (const job of jobs.slice(next)) leave(job);
        if (left.manifests.length + left.tags.length > 0) undone(left);
        log(
            `retention:   ${r.name}: ${jobs.length - left.manifests.length - left.tags.length} of ${jobs.length} deletions done`,
        );
    }
    return result;
}
