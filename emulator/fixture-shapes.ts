/** The shapes of a fixture's repositories, shared by fixtures.ts (which applies them) and generate.ts (which builds them). */

/** Options for `generateRepository`. */
export interface GenerateOptions {
    /** Repository name (may contain `/`). */
    name: string;
    /** Total number of tags; the newest manifest carries `latest` plus its version tag. */
    tagCount: number;
    /** Manifests without tags, spread among the older ones (never the newest). Default 0. */
    untaggedCount?: number;
    /** Same seed, same repository (digests, sizes, times). Default 1. */
    seed?: number;
    /** Push time of the oldest manifest. Default 2024-01-01T00:00:00Z. */
    startDate?: string | Date;
    /** Mean gap between pushes. Default 60 minutes. */
    intervalMinutes?: number;
}

/** A blob in a fixture. */
export interface FixtureBlob {
    digest: string;
    sizeBytes: number;
}

/** A manifest in a fixture; defaults: digest derived from position, no tags, one 1 MiB blob. */
export interface FixtureManifest {
    digest?: string;
    tags?: string[];
    /** ISO time; default: pushes one second apart, later entries newer. */
    updatedAt?: string;
    /** Uncompressed size; default twice the compressed size. */
    sizeBytes?: number;
    blobs?: FixtureBlob[];
}

/** A repository in a fixture: explicit manifests, or `generate` options for `generateRepository`. */
export interface FixtureRepository {
    name: string;
    manifests?: FixtureManifest[];
    generate?: Omit<GenerateOptions, "name">;
}
