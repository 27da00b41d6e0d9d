/** Carries out a plan: tags first, then manifests that are untagged at that moment. */
import type { DocrClient } from "../../client";
import { errorKind } from "../../client/errors";
import { manifestInfo } from "./inventory";
import { collect } from "../../client/pagination";
import { forEachLimited, throttledProgress } from "./pool";
import type { Plan } from "./select";

/** Deletions in flight per policy; the client's shared limiter paces them further. */
const DELETE_CONCURRENCY = 4;
/** How often a long run reports how far it got. */
const PROGRESS_INTERVAL_MS = 10_000;

/** What an apply did. */
export interface ApplyResult {
    deletedTags: number;
    deletedManifests: number;
    /** Planned manifests left alone because they carried a tag when their turn came. */
    skippedManifests: number;
    /** Messages of deletions that failed (after the client's retries). */
    failures: string[];
    /** Per repository: what is still to do (failed or not attempted), for the partial-failure digest. */
    remaining: { name: string; tags: string[]; manifests: string[] }[];
}

/** Errors after which starting more deletions cannot succeed. */
function isFatal(err: unknown): boolean {
    const kind = errorKind(err);
    return kind === "unauthorized" || kind === "forbidden" || kind === "configuration";
}

function messageOf(err: unknown): string {
    return err instanceof Object && "message" in err ? String((err as { message: unknown }).message) : String(err);
}

/**
 * Deletes the plan's tags, then its manifests. A 404 means someone (or a lost response of our own
 * retried call) already deleted it: done. Before deleting manifests the repository is listed
 * again and only manifests that are untagged *now* are deleted: deleting a manifest deletes every
 * tag on it, so a tag pushed onto it since planning (or a tag whose delete failed) protects it.
 */
export async function applyPlan(client: DocrClient, plan: Plan, log: (message: string) => void): Promise<ApplyResult> {
    const result: ApplyResult = { deletedTags: 0, deletedManifests: 0, skippedManifests: 0, failures: [], remaining: [] };
    let stop = false;
    const fail = (err: unknown): void => {
        result.failures.push(messageOf(err));
        if (isFatal(err)) stop = true;
    };
    const tagJobs = plan.repositories.flatMap((r) => r.tags.map((tag) => ({ repo: r.name, tag })));
    const doneTags = new Set<string>();
    const progress = throttledProgress(log, PROGRESS_INTERVAL_MS);
    await forEachLimited(tagJobs, DELETE_CONCURRENCY, async ({ repo, tag }) => {
        try {
            await client.deleteTag(plan.registryName, repo, tag);
        } catch (err) {
            if (errorKind(err) !== "not_found") return fail(err);
        }
        doneTags.add(`${repo}:${tag}`);
        result.deletedTags += 1;
        progress(() => `retention: deleted ${result.deletedTags} of ${tagJobs.length} tags so far`);
    }, () => stop);
    if (tagJobs.length > 0) log(`retention: deleted ${result.deletedTags} of ${tagJobs.length} tags in registry "${plan.registryName}"`);

    const doneManifests = new Set<string>();
    const manifestRepos = plan.repositories.filter((r) => r.manifests.length > 0);
    await forEachLimited(manifestRepos, 1, async (r) => {
        let live: Map<string, string[]>;
        try {
            const listed = await collect(client.listManifests(plan.registryName, r.name));
            live = new Map(listed.map((m) => [m.digest, manifestInfo(m).tags]));
        } catch (err) {
            if (errorKind(err) !== "not_found") return fail(err);
            live = new Map();
        }
        const untagged = r.manifests.filter((d) => {
            const tags = live.get(d);
            if (tags === undefined) {
                doneManifests.add(`${r.name}@${d}`); // already gone
                result.deletedManifests += 1;
                return false;
            }
            if (tags.length > 0) result.skippedManifests += 1;
            return tags.length === 0;
        });
        await forEachLimited(untagged, DELETE_CONCURRENCY, async (digest) => {
            try {
                await client.deleteManifest(plan.registryName, r.name, digest);
            } catch (err) {
                if (errorKind(err) !== "not_found") return fail(err);
            }
            doneManifests.add(`${r.name}@${digest}`);
            result.deletedManifests += 1;
            progress(() => `retention:   ${r.name}: deleting untagged manifests, ${result.deletedManifests} deleted so far`);
        }, () => stop);
        log(`retention:   ${r.name}: deleted ${r.manifests.filter((d) => doneManifests.has(`${r.name}@${d}`)).length} of ${r.manifests.length} manifests`);
    }, () => stop);

    for (const r of plan.repositories) {
        const tags = r.tags.filter((t) => !doneTags.has(`${r.name}:${t}`));
        const manifests = r.manifests.filter((d) => !doneManifests.has(`${r.name}@${d}`));
        if (tags.length + manifests.length > 0) result.remaining.push({ name: r.name, tags, manifests });
    }
    return result;
}
