/**
 * Pure selection: which tags and manifests a retention policy deletes, given what the registry
 * holds. No I/O here, so the rules are unit-tested directly (tests/retention/select.test.ts).
 */
import { matchesAnyGlob } from "./glob";

/** A tag as listed by the API (`updated_at` of the tag). */
export interface TagInfo {
    tag: string;
    digest: string;
    updatedAt?: string;
}

/** A layer or config blob and its compressed size. */
export interface BlobInfo {
    digest: string;
    sizeBytes: number;
}

/** A manifest as listed by the API; `tags` empty means untagged. */
export interface ManifestInfo {
    digest: string;
    tags: string[];
    updatedAt?: string;
    blobs: BlobInfo[];
}

/** One repository the policy covers. */
export interface RepositoryInventory {
    name: string;
    tags: TagInfo[];
    manifests: ManifestInfo[];
}

/** What the registry holds, as far as the policy needs to know. */
export interface Inventory {
    registryName: string;
    /** Repositories matching the policy's globs. */
    repositories: RepositoryInventory[];
    /** Blobs referenced by manifests of repositories the policy does not cover (never freed). */
    otherBlobs: string[];
}

/** The selection rules (inputs with defaults applied). */
export interface Rules {
    repositories: string[];
    keepLast: number;
    keepTagsMatching: string[];
    olderThanDays: number;
    deleteUntaggedManifests: boolean;
    /** Delete a repository in one request when the plan deletes everything in it. */
    deleteEmptiedRepositories: boolean;
}

/**
 * The DELETE requests that carry out one repository's plan: a manifest whose every tag goes is
 * deleted by digest (its tags go with it, one request), other planned tags one request each.
 */
export interface RepositoryRequests {
    name: string;
    /** One DELETE of the repository itself: the plan empties it and `deleteEmptiedRepositories` allows it. */
    repository: boolean;
    /** DELETE by digest, each with every tag it carries (all of them planned). */
    manifests: { digest: string; tags: string[] }[];
    /** DELETE by tag: planned tags whose manifest stays. */
    tags: string[];
}

/** What the policy deletes in one repository. */
export interface RepositoryPlan {
    name: string;
    /** Tags to delete, newest first. */
    tags: string[];
    /** Manifest digests to delete (untagged now, or left without tags by this plan). */
    manifests: string[];
    /** Estimated bytes a garbage collection frees after the manifests are deleted. */
    bytes: number;
    /** How the plan is carried out, in requests. */
    requests: RepositoryRequests;
}

/** The whole plan; repositories with nothing to delete are left out. */
export interface Plan {
    registryName: string;
    repositories: RepositoryPlan[];
    /** Estimated bytes freed in total (a blob shared by two repositories counts once). */
    bytes: number;
}

/**
 * Newest first by `updated_at` (a tag without a time counts as newest: its age is unknown), then
 * by name; each time parsed once, not on every comparison (slow on thousands of tags).
 */
function newestFirstOf(tags: readonly TagInfo[]): TagInfo[] {
    const at = new Map(tags.map((t) => [t, t.updatedAt ? Date.parse(t.updatedAt) : Infinity]));
    return [...tags].sort((a, b) => {
        const ta = at.get(a) ?? Infinity;
        const tb = at.get(b) ?? Infinity;
        if (ta !== tb) return tb > ta ? 1 : -1;
        return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0;
    });
}

/** Old enough to be considered: strictly before the cutoff; an unknown time is old only when no age is required. */
function isOldEnough(updatedAt: string | undefined, cutoff: number, olderThanDays: number): boolean {
    if (olderThanDays <= 0) return true;
    const at = updatedAt ? Date.parse(updatedAt) : NaN;
    return Number.isFinite(at) && at < cutoff;
}

/**
 * Applies the rules. A tag is kept when it is among the newest `keepLast` of its repository, when
 * it matches a `keepTagsMatching` pattern (as written: unanchored unless the pattern anchors
 * itself, so `latest` also keeps `latest-arm64`; erring towards keeping), or when it is not older
 * than `olderThanDays`. Every other tag is deleted.
 *
 * With `deleteUntaggedManifests`, a manifest is deleted when it is untagged, or when every tag it
 * carries is deleted by this plan, and it is older than `olderThanDays`. A manifest that any kept
 * tag points to is never selected, whichever listing (tags or manifests) says so.
 */
export function selectDeletions(inventory: Inventory, rules: Rules, now: number): Plan {
    const patterns = rules.keepTagsMatching.map((p) => new RegExp(p));
    const cutoff = now - rules.olderThanDays * 86_400_000;
    const repositories: RepositoryPlan[] = [];
    const deletedManifests = new Set<string>();
    const planned: { repo: RepositoryInventory; tags: string[]; manifests: string[]; requests: RepositoryRequests }[] =
        [];

    for (const repo of inventory.repositories) {
        if (!matchesAnyGlob(repo.name, rules.repositories)) continue;
        const sorted = newestFirstOf(repo.tags);
        const doomed: string[] = [];
        const keptDigests = new Set<string>();
        sorted.forEach((t, index) => {
            const keep =
                index < rules.keepLast ||
                patterns.some((p) => p.test(t.tag)) ||
                !isOldEnough(t.updatedAt, cutoff, rules.olderThanDays);
            if (keep) keptDigests.add(t.digest);
            else doomed.push(t.tag);
        });
        const doomedSet = new Set(doomed);
        const manifests = !rules.deleteUntaggedManifests
            ? []
            : repo.manifests
                  .filter(
                      (m) =>
                          !keptDigests.has(m.digest) &&
                          m.tags.every((t) => doomedSet.has(t)) &&
                          isOldEnough(m.updatedAt, cutoff, rules.olderThanDays),
                  )
                  .map((m) => m.digest)
                  .sort();
        for (const d of manifests) deletedManifests.add(`${repo.name}@${d}`);
        if (doomed.length > 0 || manifests.length > 0) {
            planned.push({ repo, tags: doomed, manifests, requests: requestsFor(repo, doomed, manifests, rules) });
        }
    }

    const freed = freedBytes(inventory, deletedManifests);
    for (const { repo, tags, manifests, requests } of planned) {
        repositories.push({
            name: repo.name,
            tags,
            manifests,
            bytes: freed.byRepository.get(repo.name) ?? 0,
            requests,
        });
    }
    repositories.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { registryName: inventory.registryName, repositories, bytes: freed.total };
}

/**
 * Requests for one repository's plan. A planned manifest's tags are those either listing says it
 * carries (the tag listing and the manifest listing may disagree for a moment): every one of them
 * is planned, since a kept tag protects its manifest in {@link selectDeletions}.
 */
function requestsFor(
    repo: RepositoryInventory,
    doomed: string[],
    manifests: string[],
    rules: Rules,
): RepositoryRequests {
    const planned = new Set(manifests);
    const tagsOf = new Map<string, Set<string>>(manifests.map((d) => [d, new Set<string>()]));
    for (const m of repo.manifests) if (planned.has(m.digest)) for (const t of m.tags) tagsOf.get(m.digest)?.add(t);
    for (const t of repo.tags) if (planned.has(t.digest)) tagsOf.get(t.digest)?.add(t.tag);
    const covered = new Set<string>();
    for (const tags of tagsOf.values()) for (const t of tags) covered.add(t);
    const doomedSet = new Set(doomed);
    const empties =
        repo.manifests.length > 0 &&
        repo.manifests.every((m) => planned.has(m.digest)) &&
        repo.tags.every((t) => doomedSet.has(t.tag));
    return {
        name: repo.name,
        repository: rules.deleteEmptiedRepositories && empties,
        manifests: manifests.map((digest) => ({ digest, tags: [...(tagsOf.get(digest) ?? [])].sort() })),
        tags: doomed.filter((t) => !covered.has(t)),
    };
}

/** Blobs still referenced once the plan's manifests are gone (other repositories included). */
function remainingBlobs(inventory: Inventory, deleted: ReadonlySet<string>): Set<string> {
    const used = new Set(inventory.otherBlobs);
    for (const repo of inventory.repositories) {
        for (const m of repo.manifests) {
            if (!deleted.has(`${repo.name}@${m.digest}`)) for (const b of m.blobs) used.add(b.digest);
        }
    }
    return used;
}

/** What a garbage collection frees once some manifests are gone: in all, and per repository. */
export interface FreedBytes {
    total: number;
    byRepository: Map<string, number>;
}

/**
 * Bytes a garbage collection frees once these manifests (`repo@digest`) are gone: a blob still used
 * by a manifest that stays (in any repository) is not freed. Serves the plan, the preview of a
 * bounded plan, and a run that did part of its plan.
 */
export function freedBytes(inventory: Inventory, deleted: ReadonlySet<string>): FreedBytes {
    const remaining = remainingBlobs(inventory, deleted);
    const all = new Map<string, number>();
    const byRepository = new Map<string, number>();
    for (const repo of inventory.repositories) {
        const own = new Set(repo.manifests.map((m) => m.digest).filter((d) => deleted.has(`${repo.name}@${d}`)));
        const freed = freedBlobs(repo, own, remaining);
        for (const [digest, size] of freed) all.set(digest, size);
        byRepository.set(repo.name, sum(freed));
    }
    return { total: sum(all), byRepository };
}

/** Blobs used only by deleted manifests, from this repository's deleted manifests. */
function freedBlobs(repo: RepositoryInventory, manifests: Set<string>, remaining: Set<string>): Map<string, number> {
    const freed = new Map<string, number>();
    for (const m of repo.manifests) {
        if (!manifests.has(m.digest)) continue;
        for (const b of m.blobs) if (!remaining.has(b.digest)) freed.set(b.digest, b.sizeBytes);
    }
    return freed;
}

function sum(sizes: Map<string, number>): number {
    let total = 0;
    for (const size of sizes.values()) total += size;
    return total;
}
