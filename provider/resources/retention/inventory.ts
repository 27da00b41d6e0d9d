/** Reads what a retention policy needs from the live registry. */
import type { DocrClient, RepositoryManifest, RepositoryTag, RepositoryV2 } from "../../client";
import { unlessError } from "../../client/errors";
import { matchesAnyGlob } from "./glob";
import { collect } from "../../client/pagination";
import { cacheKey, pruneCache, readCached, summaryOf, writeCached } from "./inventory-cache";
import { forEachLimited } from "./pool";
import type { Inventory, ManifestInfo, RepositoryInventory, TagInfo } from "./select";

/** Repositories listed at once (each listing pages on its own, within the client's rate limit). */
const LISTING_CONCURRENCY = 4;

export function tagInfo(t: RepositoryTag): TagInfo {
    return { tag: t.tag, digest: t.manifest_digest ?? "", updatedAt: t.updated_at ?? undefined };
}

export function manifestInfo(m: RepositoryManifest): ManifestInfo {
    return {
        digest: m.digest,
        tags: m.tags ?? [],
        updatedAt: m.updated_at ?? undefined,
        blobs: (m.blobs ?? [])
            .filter((b) => typeof b.digest === "string")
            .map((b) => ({ digest: b.digest as string, sizeBytes: b.compressed_size_bytes ?? 0 })),
    };
}

/** How a check or a run uses the on-disk inventories (inventory-cache.ts). */
export interface CacheUse {
    /** The API URL the inventories are of (part of each file's key). */
    endpoint: string;
    /** Repositories to list afresh whatever the cache holds (those a run deletes from). */
    fresh: (repository: string) => boolean;
    now: number;
}

/** An inventory, what reading it again costs, and what the registry holds besides. */
export interface ReadInventory {
    inventory: Inventory;
    /** Every repository of the registry, by name (to say which exist when the globs match none). */
    repositoryNames: string[];
    /** Repositories taken from the cache (their summary had not changed). */
    reused: number;
}

/** Lists one repository (its tags too when `withTags`), or takes it from the cache when its summary is unchanged. */
async function repositoryOf(
    client: DocrClient,
    registryName: string,
    repository: RepositoryV2,
    withTags: boolean,
    cache: CacheUse | undefined,
): Promise<{ tags: TagInfo[]; manifests: ManifestInfo[]; cached: boolean }> {
    const summary = cache ? summaryOf(repository) : undefined;
    const key = cache ? cacheKey(cache.endpoint, registryName, repository.name) : "";
    if (cache && summary !== undefined && !cache.fresh(repository.name)) {
        const hit = readCached(key, summary, cache.now);
        if (hit && (hit.tags || !withTags)) return { tags: hit.tags ?? [], manifests: hit.manifests, cached: true };
    }
    const none: [RepositoryTag[], RepositoryManifest[]] = [[], []];
    // Deleted since it was listed: nothing to clean up there.
    const [tags, manifests] = await unlessError("not_found", none, () =>
        Promise.all([
            withTags ? collect(client.listTags(registryName, repository.name)) : Promise.resolve([]),
            collect(client.listManifests(registryName, repository.name)),
        ]),
    );
    const listed = { tags: tags.map(tagInfo), manifests: manifests.map(manifestInfo) };
    if (cache && summary !== undefined)
        writeCached(key, summary, withTags ? listed : { manifests: listed.manifests }, cache.now);
    return { ...listed, cached: false };
}

/**
 * Lists the covered repositories' tags and manifests. Manifests of the other repositories are
 * listed only when manifests may be deleted, to know which layers they still share (so the bytes
 * estimate does not count a base layer that another repository keeps alive). With `cache`, a
 * repository whose summary in the repositories listing is unchanged is taken from disk.
 */
export async function readInventory(
    client: DocrClient,
    registryName: string,
    globs: readonly string[],
    withOtherBlobs: boolean,
    cache?: CacheUse,
): Promise<ReadInventory> {
    const listedRepositories = await collect(client.listRepositories(registryName));
    const all = [...listedRepositories].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let reused = 0;
    const covered = all.filter((r) => matchesAnyGlob(r.name, globs));
    const others = withOtherBlobs ? all.filter((r) => !matchesAnyGlob(r.name, globs)) : [];
    const repositories: RepositoryInventory[] = [];
    const otherBlobs = new Set<string>();
    await forEachLimited(covered, LISTING_CONCURRENCY, async (r) => {
        const { tags, manifests, cached } = await repositoryOf(client, registryName, r, true, cache);
        if (cached) reused += 1;
        repositories.push({ name: r.name, tags, manifests });
    });
    await forEachLimited(others, LISTING_CONCURRENCY, async (r) => {
        const { manifests, cached } = await repositoryOf(client, registryName, r, false, cache);
        if (cached) reused += 1;
        for (const m of manifests) for (const b of m.blobs) otherBlobs.add(b.digest);
    });
    repositories.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (cache) pruneCache(cache.now);
    return {
        inventory: { registryName, repositories, otherBlobs: [...otherBlobs] },
        repositoryNames: all.map((r) => r.name),
        reused,
    };
}
