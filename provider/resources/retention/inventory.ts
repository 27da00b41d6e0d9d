/** Reads what a retention policy needs from the live registry. */
import type { DocrClient, RepositoryManifest, RepositoryTag } from "../../client";
import { errorKind } from "../../client/errors";
import { matchesAnyGlob } from "./glob";
import { collect } from "../../client/pagination";
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
        blobs: (m.blobs ?? []).filter((b) => typeof b.digest === "string")
            .map((b) => ({ digest: b.digest as string, sizeBytes: b.compressed_size_bytes ?? 0 })),
    };
}

/**
 * Lists the covered repositories' tags and manifests. Manifests of the other repositories are
 * listed only when manifests may be deleted, to know which layers they still share (so the bytes
 * estimate does not count a base layer that another repository keeps alive).
 */
export async function readInventory(
    client: DocrClient,
    registryName: string,
    globs: readonly string[],
    withOtherBlobs: boolean,
): Promise<Inventory> {
    const names = (await collect(client.listRepositories(registryName))).map((r) => r.name).sort();
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
        repositories.push({ name, tags: tags.map(tagInfo), manifests: manifests.map(manifestInfo) });
    });
    await forEachLimited(others, LISTING_CONCURRENCY, async (name) => {
        for await (const m of client.listManifests(registryName, name)) {
            for (const b of m.blobs ?? []) if (b.digest) otherBlobs.add(b.digest);
        }
    });
    repositories.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { registryName, repositories, otherBlobs: [...otherBlobs] };
}
