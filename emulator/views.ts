import { gcProgress } from "./gc";
import { storageUsage } from "./state";
import { findTier, type TierInfo } from "./tiers";
import type { ClusterState, GcState, ManifestState, RegistryState, RepositoryState, SubscriptionState } from "./types";

/** JSON-ready object. */
export type Json = Record<string, unknown>;

/** `registry_base`: what get and create return. */
export function registryView(r: RegistryState): Json {
    return {
        name: r.name,
        created_at: r.createdAt,
        region: r.region,
        storage_usage_bytes: storageUsage(r),
        storage_usage_bytes_updated_at: r.storageUpdatedAt,
    };
}

/** `subscription_tier_base` for a subscription's tier. */
export function tierView(t: TierInfo): Json {
    return { ...t };
}

/** `subscription`. */
export function subscriptionView(s: SubscriptionState): Json {
    const tier = findTier(s.tier);
    return { tier: tier ? tierView(tier) : undefined, created_at: s.createdAt, updated_at: s.updatedAt };
}

/** Compressed size of a manifest: the sum of its blobs as stored. */
export function compressedSize(r: RegistryState, m: ManifestState): number {
    let total = 0;
    for (const d of m.blobs) total += r.blobStore[d] ?? 0;
    return total;
}

/** `repository_manifest`. */
export function manifestView(r: RegistryState, repo: RepositoryState, m: ManifestState): Json {
    return {
        registry_name: r.name,
        repository: repo.name,
        digest: m.digest,
        compressed_size_bytes: compressedSize(r, m),
        size_bytes: m.sizeBytes,
        updated_at: m.updatedAt,
        tags: [...m.tags],
        blobs: m.blobs.map((d) => ({ digest: d, compressed_size_bytes: r.blobStore[d] ?? 0 })),
    };
}

/** `repository_tag` for one tag of a manifest. */
export function tagView(
    r: RegistryState,
    repo: RepositoryState,
    m: ManifestState,
    tag: string,
    compressed = compressedSize(r, m),
): Json {
    return {
        registry_name: r.name,
        repository: repo.name,
        tag,
        manifest_digest: m.digest,
        compressed_size_bytes: compressed,
        size_bytes: m.sizeBytes,
        updated_at: m.updatedAt,
    };
}

/** Newest first; ties broken by digest so pages never reorder between requests. */
export function byNewest(a: ManifestState, b: ManifestState): number {
    if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
    return a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0;
}

/** `repository_v2`. */
export function repositoryV2View(r: RegistryState, repo: RepositoryState): Json {
    let latest: ManifestState | undefined;
    let tagCount = 0;
    for (const m of repo.manifests) {
        tagCount += m.tags.length;
        if (!latest || byNewest(m, latest) < 0) latest = m;
    }
    return {
        registry_name: r.name,
        name: repo.name,
        latest_manifest: latest ? manifestView(r, repo, latest) : undefined,
        tag_count: tagCount,
        manifest_count: repo.manifests.length,
    };
}

/** `garbage_collection` as seen at `now`. */
export function gcView(r: RegistryState, gc: GcState, now: number, stepMs: number): Json {
    const p = gcProgress(gc, now, stepMs);
    return {
        uuid: gc.uuid,
        registry_name: r.name,
        status: p.status,
        created_at: gc.createdAt,
        updated_at: p.updatedAt,
        blobs_deleted: gc.blobsDeleted,
        freed_bytes: gc.freedBytes,
    };
}

/**
 * `cluster_read`, with the fields the schema requires (`version`, `node_pools`) filled with fixed
 * values. `registry_enabled` is all it says about integrated registries.
 */
export function clusterView(c: ClusterState): Json {
    return {
        id: c.id,
        name: c.name,
        region: c.region,
        version: "1.31.1-do.0",
        node_pools: [{ name: `${c.name}-default-pool`, size: "s-2vcpu-4gb", count: 1 }],
        status: { state: "running" },
        created_at: c.createdAt,
        updated_at: c.createdAt,
        registry_enabled: c.registries.length > 0,
    };
}
