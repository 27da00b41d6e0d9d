/**
 * What the API returns and takes, as plain interfaces (snake_case, as the API spells it). The
 * response schemas in schemas/ parse to exactly these (each declares `satisfies z.ZodType<...>`),
 * and these, not the schemas, are what the public `.d.ts` files name: a program type-checks
 * against them without zod's own declarations.
 */

/** A subscription tier; `eligible`/`eligibility_reasons` appear in the options response only. */
export interface SubscriptionTier {
    slug: string;
    name?: string;
    included_repositories?: number;
    included_storage_bytes?: number;
    allow_storage_overage?: boolean;
    included_bandwidth_bytes?: number;
    monthly_price_in_cents?: number;
    storage_overage_price_in_cents?: number;
    eligible?: boolean;
    eligibility_reasons?: string[];
}

/** The account's registry subscription. */
export interface Subscription {
    tier: SubscriptionTier;
    created_at?: string;
    updated_at?: string;
}

/** Available regions and tiers, with the account's eligibility per tier. */
export interface RegistryOptions {
    available_regions: string[];
    subscription_tiers: SubscriptionTier[];
}

/** A registry. `subscription` appears in the list response only. */
export interface Registry {
    name: string;
    region?: string;
    created_at?: string;
    storage_usage_bytes?: number;
    storage_usage_bytes_updated_at?: string;
    subscription?: Subscription;
}

/** Docker credentials (a `config.json`); `auth` is base64 `user:password`: a secret. */
export interface DockerCredentials {
    auths: Record<string, { auth: string }>;
}

/** A garbage collection run. `status` is a string, not an enum: new stages must not break reads. */
export interface GarbageCollection {
    uuid: string;
    registry_name?: string;
    status: string;
    type?: string;
    created_at?: string;
    updated_at?: string;
    blobs_deleted?: number;
    freed_bytes?: number;
}

/**
 * A DOKS cluster, reduced to what the registry integration needs. `registry_enabled` says whether
 * any registry is integrated; no operation says which ones.
 */
export interface KubernetesCluster {
    id: string;
    name: string;
    region: string;
    registry_enabled?: boolean;
}

/** A tag of a repository. */
export interface RepositoryTag {
    tag: string;
    registry_name?: string;
    repository?: string;
    manifest_digest?: string;
    compressed_size_bytes?: number;
    size_bytes?: number;
    updated_at?: string;
}

/** A manifest of a repository. */
export interface RepositoryManifest {
    digest: string;
    registry_name?: string;
    repository?: string;
    compressed_size_bytes?: number;
    size_bytes?: number;
    updated_at?: string;
    tags?: string[];
    blobs?: { digest?: string; compressed_size_bytes?: number }[];
}

/** A repository as listed by repositoriesV2. */
export interface RepositoryV2 {
    name: string;
    registry_name?: string;
    latest_manifest?: RepositoryManifest;
    tag_count?: number;
    manifest_count?: number;
}

/** The paging part of a list response (`meta`, `links`). */
export interface PageInfo {
    meta?: { total: number };
    links?: { pages?: { first?: string; prev?: string; next?: string; last?: string } };
}

/** Arguments of `createRegistry` (API spelling). */
export interface CreateRegistryArgs {
    name: string;
    region?: string;
    subscription_tier_slug?: string;
}

/** Options of `getDockerCredentials`. */
export interface DockerCredentialsOptions {
    readWrite?: boolean;
    /** 0 = never expires (the API's default). */
    expirySeconds?: number;
}

/** Options of `startGarbageCollection`. */
export interface StartGarbageCollectionOptions {
    /** What to collect; the API's default is `unreferenced blobs only`. */
    type?: string;
}

/** Which registries to integrate with which clusters: every registry with every cluster. */
export interface ClusterRegistries {
    clusterIds: readonly string[];
    registryNames: readonly string[];
}
