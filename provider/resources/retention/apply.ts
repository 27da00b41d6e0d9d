/** Carries out a run's requests: per repository, the repository or its manifests by digest, then single tags. */
import type { DocrClient } from "../../client";
import { errorKind, messageOf, unlessError } from "../../client/errors";
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

/** A 404 means someone (or a lost response of our own retried call) already did it: done, with `gone` as the answer. */
function unlessGone<T, V>(gone: V, call: () => Promise<T>): Promise<T | V> {
    return unlessError("not_found", gone, call);
}

type Job = { kind: "manifest"; digest: string; tags: string[] } | { kind: "tag"; tag: string };

/** One apply's running totals, and how it records a failure (a fatal one stops the rest). */
class Progress {
    readonly result: ApplyResult = {
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
    stopped = false;
    /** Reports how far the whole apply got, at most every PROGRESS_INTERVAL_MS. */
    readonly report: (message: () => string) => void;

    constructor(
        readonly budget: number,
        log: (message: string) => void,
    ) {
        this.report = throttledProgress(log, PROGRESS_INTERVAL_MS);
    }

    fail(err: unknown): void {
        this.result.failures.push(messageOf(err));
        if (isFatal(err)) this.stopped = true;
    }

    spent(): boolean {
        return this.result.deletions >= this.budget;
    }

    manifestGone(repository: string, digest: string, tags: number): void {
        this.result.goneManifests.push(`${repository}@${digest}`);
        this.result.deletedManifests += 1;
        this.result.deletedTags += tags;
    }
}

/** The repository's manifests now, digest → tags (none when it is gone); undefined after a failure, recorded. */
async function liveManifests(
    client: DocrClient,
    registryName: string,
    repository: string,
    p: Progress,
): Promise<Map<string, string[]> | undefined> {
    p.result.listings += 1;
    try {
        const listed = await unlessGone([], () => collect(client.listManifests(registryName, repository)));
        return new Map(listed.map((m) => [m.digest, manifestInfo(m).tags]));
    } catch (err) {
        p.fail(err);
        return undefined;
    }
}

/**
 * Deletes the whole repository when it holds only what the request lists. Returns whether the
 * request is settled (deleted, or failed and recorded); false: delete manifest by manifest instead.
 */
async function deleteWholeRepository(
    client: DocrClient,
    registryName: string,
    r: RepositoryRequests,
    live: Map<string, string[]>,
    p: Progress,
    log: (message: string) => void,
): Promise<boolean> {
    const planned = new Map(r.manifests.map((m) => [m.digest, new Set(m.tags)]));
    const holdsOnlyPlanned = [...live].every(([digest, tags]) =>
        tags.every((t) => planned.get(digest)?.has(t) === true),
    );
    if (!holdsOnlyPlanned) {
        log(
            `retention:   ${r.name}: holds something the plan did not list; deleting manifest by manifest instead of the repository`,
        );
        return false;
    }
    try {
        if (live.size > 0) {
            p.result.deletions += 1;
            await unlessGone(undefined, () => client.deleteRepository(registryName, r.name));
        }
    } catch (err) {
        p.fail(err);
        p.result.undone.push(r);
        return true;
    }
    p.result.deletedRepositories += 1;
    p.result.deletedManifests += live.size;
    for (const m of r.manifests) p.result.goneManifests.push(`${r.name}@${m.digest}`);
    for (const tags of live.values()) p.result.deletedTags += tags.length;
    log(`retention:   ${r.name}: deleted the repository (${live.size} manifests)`);
    return true;
}

/**
 * The DELETEs of one repository's request given what it holds now: a manifest by digest only
 * while every tag on it is listed (else its listed tags one by one), then the single tags.
 * Manifests already gone count as deleted.
 */
function jobsOf(r: RepositoryRequests, live: Map<string, string[]>, p: Progress): Job[] {
    const jobs: Job[] = [];
    for (const m of r.manifests) {
        const tags = live.get(m.digest);
        if (tags === undefined) {
            p.manifestGone(r.name, m.digest, 0);
            continue;
        }
        const listed = new Set(m.tags);
        if (tags.every((t) => listed.has(t))) {
            jobs.push({ kind: "manifest", digest: m.digest, tags });
        } else {
            p.result.skippedManifests += 1;
            for (const t of tags) if (listed.has(t)) jobs.push({ kind: "tag", tag: t });
        }
    }
    for (const tag of r.tags) jobs.push({ kind: "tag", tag });
    return jobs;
}

/** Sends the jobs within the budget; what was not done (failed, past the budget, never started) is recorded as undone. */
async function runJobs(
    client: DocrClient,
    registryName: string,
    repository: string,
    jobs: Job[],
    p: Progress,
    log: (message: string) => void,
): Promise<void> {
    const left: RepositoryRequests = { name: repository, repository: false, manifests: [], tags: [] };
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
            if (p.spent()) return leave(job);
            p.result.deletions += 1;
            try {
                if (job.kind === "manifest")
                    await unlessGone(undefined, () => client.deleteManifest(registryName, repository, job.digest));
                else await unlessGone(undefined, () => client.deleteTag(registryName, repository, job.tag));
            } catch (err) {
                p.fail(err);
                return leave(job);
            }
            if (job.kind === "manifest") p.manifestGone(repository, job.digest, job.tags.length);
            else p.result.deletedTags += 1;
            p.report(
                () =>
                    `retention: ${p.result.deletions} deletions so far (${p.result.deletedTags} tags, ${p.result.deletedManifests} manifests)`,
            );
        },
        () => p.stopped,
    );
    // Jobs never started (a fatal error stopped the pool) are left too.
    for (const job of jobs.slice(next)) leave(job);
    if (left.manifests.length + left.tags.length > 0) p.result.undone.push(left);
    log(
        `retention:   ${repository}: ${jobs.length - left.manifests.length - left.tags.length} of ${jobs.length} deletions done`,
    );
}

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
    const p = new Progress(budget, log);
    for (const r of requests) {
        if (p.stopped || p.spent()) {
            p.result.undone.push(r);
            continue;
        }
        let live = new Map<string, string[]>();
        if (r.repository || r.manifests.length > 0) {
            const listed = await liveManifests(client, registryName, r.name, p);
            if (listed === undefined) {
                p.result.undone.push(r);
                continue;
            }
            live = listed;
        }
        if (r.repository && (await deleteWholeRepository(client, registryName, r, live, p, log))) continue;
        await runJobs(client, registryName, r.name, jobsOf(r, live, p), p, log);
    }
    return p.result;
}
