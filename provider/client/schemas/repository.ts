/** Schemas of repositories, tags and manifests. */
import { z } from "zod";
import type { RepositoryTag, RepositoryManifest, RepositoryV2 } from "../types";
import { opt, pageOf } from "./common";

/** What the API says of a tag and of a manifest alike: where it is, its sizes, when it last changed. */
const repositoryItemFields = {
    registry_name: opt(z.string()),
    repository: opt(z.string()),
    compressed_size_bytes: opt(z.number()),
    size_bytes: opt(z.number()),
    updated_at: opt(z.string()),
};

/** A tag of a repository. */
export const repositoryTagSchema = z.object({
    tag: z.string().min(1),
    manifest_digest: opt(z.string()),
    ...repositoryItemFields,
}) satisfies z.ZodType<RepositoryTag>;

/** A manifest; blobs are read leniently (the reference's own example misspells a field). */
export const repositoryManifestSchema = z.object({
    digest: z.string().min(1),
    ...repositoryItemFields,
    tags: opt(z.array(z.string())),
    blobs: opt(z.array(z.object({ digest: opt(z.string()), compressed_size_bytes: opt(z.number()) }))),
}) satisfies z.ZodType<RepositoryManifest>;

/** A repository as listed by repositoriesV2. */
export const repositoryV2Schema = z.object({
    name: z.string().min(1),
    registry_name: opt(z.string()),
    latest_manifest: opt(repositoryManifestSchema),
    tag_count: opt(z.number()),
    manifest_count: opt(z.number()),
}) satisfies z.ZodType<RepositoryV2>;

/** One page of `{ tags, meta, links }`. */
export const tagPageSchema = pageOf("tags", repositoryTagSchema);

/** One page of `{ manifests, meta, links }`. */
export const manifestPageSchema = pageOf("manifests", repositoryManifestSchema);

/** One page of `{ repositories, meta, links }` (repositoriesV2). */
export const repositoryV2PageSchema = pageOf("repositories", repositoryV2Schema);
