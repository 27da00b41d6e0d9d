/** Reads what a retention policy needs from the live registry. */
import type { DocrClient, RepositoryManifest, RepositoryTag } from "../../client";
import { errorKind } from "../../client/errors";
import { matchesAnyGlob } from "./glob";
import { collect } from "../../client/pagination";
import { pagesOf } from "./cost";
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

/**
 * Lists the covered repositories' tags and manifests. Manifests of the other repositories are
 * listed only when manifests may be deleted, to know which layers they still share (so the bytes
 * estimate does not count a base layer that another repository keeps alive). `listingRequests`
 * is what reading it again costs (pages of 200), for the run's estimate.
 */
export async function readInventory(
    client: DocrClient,
    registryName: string,
    globs: readonly string[],
    withOtherBlobs: boolean,
): Promise<{ inventory: Inventory; listingRequests: number }> {
    const names = (await collect(client.listRepositories(registryName))).map((r) => r.name).sort();
    let listingRequests = pagesOf(names.length);
    const covered = names.filter((n) => matchesAnyGlob(n, globs));
    const others = withOtherBlobs ? names.filter((n) => !matchesAnyGlob(n, globs)) : [];
    const repositories: RepositoryInventory[] = [];
    const otherBlobs = new Set<string>();
    await forEachLimited(covered, LISTING_CONCURRENCY, async (name) => {
        const [tags, manifests] = await Promise.all([
            collect(client.listTags(registryName, name)),
            collect(client.listManifests(registryName, name)),
        ]).catch((err: unknown) => {
            // Deleted since it was listed: nothing to clean up there.
            if (errorKind(err) === "not_found") return [[], []] as [RepositoryTag[], RepositoryManifest[]];
            throw err;
        });
        listingRequests += pagesOf(tags.length) + pagesOf(manifests.length);
        repositories.push({ name, tags: tags.map(tagInfo), manifests: manifests.map(manifestInfo) });
    });
    await forEachLimited(others, LISTING_CONCURRENCY, async (name) => {
        let count = 0;
        for await (const m of client.listManifests(registryName, name)) {
            count += 1;
            for (const b of m.blobs ?? []) if (b.digest) otherBlobs.add(b.digest);
        }
        listingRequests += pagesOf(count);
    });
    repositories.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { inventory: { registryName, repositories, otherBlobs: [...otherBlobs] }, listingRequests };
}
