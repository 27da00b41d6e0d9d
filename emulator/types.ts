/**
 * Shapes shared across the emulator: persisted account state, fixtures, fault rules and the
 * records exposed to tests. Persisted state uses camelCase; the API views are built in `views.ts`.
 */

/** A layer or config blob stored in a registry. */
export interface BlobState {
    digest: string;
    sizeBytes: number;
}

/** A manifest of a repository; `tags` empty means "untagged". */
export interface ManifestState {
    digest: string;
    tags: string[];
    /** ISO 8601 time of the last push of this manifest. */
    updatedAt: string;
    /** Digests of the blobs the manifest references (sizes live in the registry blob store). */
    blobs: string[];
    /** Uncompressed size reported as `size_bytes`. */
    sizeBytes: number;
}

/** A repository and its manifests. */
export interface RepositoryState {
    name: string;
    manifests: ManifestState[];
}

/** GC types from the OpenAPI `registry_run_gc` schema. */
export type GcType =
    "untagged manifests only" | "unreferenced blobs only" | "untagged manifests and unreferenced blobs";

/** GC statuses from the OpenAPI `garbage_collection.status` enum. */
export type GcStatus =
    | "requested"
    | "waiting for write JWTs to expire"
    | "scanning manifests"
    | "deleting unreferenced blobs"
    | "cancelling"
    | "failed"
    | "succeeded"
    | "cancelled";

/** One garbage-collection run. Progress is derived from `createdAt` and the step length. */
export interface GcState {
    uuid: string;
    type: GcType;
    createdAt: string;
    /** Set once the run reached a final state (its effects, if any, are applied then). */
    finalStatus?: "succeeded" | "cancelled" | "failed";
    finishedAt?: string;
    blobsDeleted: number;
    freedBytes: number;
}

/** A registry of the account. */
export interface RegistryState {
    name: string;
    region: string;
    createdAt: string;
    /** Every blob physically stored, referenced or not, keyed by digest (value: size in bytes). */
    blobStore: Record<string, number>;
    storageUpdatedAt: string;
    repositories: RepositoryState[];
    garbageCollections: GcState[];
}

/** The account's subscription; absent until the first registry (or a tier update) creates it. */
export interface SubscriptionState {
    tier: TierSlug;
    createdAt: string;
    updatedAt: string;
}

/** Subscription tier slugs. */
export type TierSlug = "starter" | "basic" | "professional";

/** A docker credential handed out by `registries_get_dockerCredentials`. */
export interface CredentialRecord {
    registry: string;
    readWrite: boolean;
    expirySeconds: number;
    issuedAt: string;
    /** null when the credential never expires (`expiry_seconds` 0 or omitted). */
    expiresAt: string | null;
    /** The user half of the issued `auth` (the password is not kept). */
    username: string;
}

/**
 * A DOKS cluster of the account. Only seeded (fixture, admin route): the emulator implements the
 * cluster reads and the registry integration, not cluster creation.
 */
export interface ClusterState {
    /** UUID, as the API's `cluster_id`. */
    id: string;
    name: string;
    region: string;
    createdAt: string;
    /** Registries integrated with the cluster. The API never lists them; it reports `registry_enabled`. */
    registries: string[];
}

/** Everything the emulator persists; `snapshot()` returns a deep copy of it. */
export interface EmulatorState {
    subscription: SubscriptionState | null;
    /** Names held by other teams: create and validate-name answer 409 for them. */
    takenNames: string[];
    registries: RegistryState[];
    credentials: CredentialRecord[];
    clusters: ClusterState[];
}
