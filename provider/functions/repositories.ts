import { z } from "zod";
import type { RepositoryManifest, RepositoryTag } from "../client";
import { registryNameField, repositoryNameField } from "../resources/fields";
import { InvokeOptions, clientForInvoke, collect, liftToOutput, naming, parseArgs } from "./invoke";

/** A repository with its latest manifest, as listed by {@link getRepositories}. */
export interface RepositoryInfo {
    name: string;
    tagCount: number;
    manifestCount: number;
    /** The newest tag of the latest manifest, when it has one. */
    latestTag?: string;
    latestManifestDigest?: string;
    latestUpdatedAt?: string;
}

/** The arguments of {@link getRepositories}. */
export interface GetRepositoriesArgs {
    registryName: string;
}

/** The result of {@link getRepositories}. */
export interface GetRepositoriesResult {
    registryName: string;
    repositories: RepositoryInfo[];
}

/**
 * Every repository of a registry, all pages.
 *
 * ```ts
 * const { repositories } = await getRepositories({ registryName: "acme-prod" });
 * const biggest = [...repositories].sort((a, b) => b.tagCount - a.tagCount)[0];
 * ```
 */
export async function getRepositories(args: GetRepositoriesArgs, opts?: InvokeOptions): Promise<GetRepositoriesResult> {
    const { registryName } = parseArgs("getRepositories", z.strictObject({ registryName: registryNameField() }), args);
    const client = clientForInvoke(opts);
    const items = await naming("getRepositories", `registry "${registryName}"`, () => collect(client.listRepositories(registryName)));
    const repositories = items.map((r) => {
        const info: RepositoryInfo = { name: r.name, tagCount: r.tag_count ?? 0, manifestCount: r.manifest_count ?? 0 };
        const latest = r.latest_manifest ?? undefined;
        if (latest?.tags?.length) info.latestTag = latest.tags[0];
        if (latest?.digest) info.latestManifestDigest = latest.digest;
        if (latest?.updated_at) info.latestUpdatedAt = latest.updated_at;
        return info;
    });
    return { registryName, repositories };
}

/**
 * {@link getRepositories} with `Input` arguments.
 *
 * ```ts
 * export const repositoryCount = getRepositoriesOutput({ registryName: registry.name }).repositories.apply((r) => r.length);
 * ```
 */
export const getRepositoriesOutput = liftToOutput(getRepositories);

/** The arguments of {@link getRepositoryTags} and {@link getRepositoryManifests}. */
export interface GetRepositoryContentsArgs {
    registryName: string;
    /** The repository, e.g. `app` or `team/app` (encoded for the URL by the client). */
    repository: string;
}

function contentsArgs(fn: string, args: GetRepositoryContentsArgs) {
    return parseArgs(fn, z.strictObject({ registryName: registryNameField(), repository: repositoryNameField() }), args);
}

/** The result of {@link getRepositoryTags}. */
export interface GetRepositoryTagsResult {
    tags: TagInfo[];
}

/** A tag, camel-cased. */
export interface TagInfo {
    tag: string;
    manifestDigest: string;
    compressedSizeBytes?: number;
    sizeBytes?: number;
    updatedAt?: string;
}

/**
 * Every tag of a repository, all pages.
 *
 * ```ts
 * const { tags } = await getRepositoryTags({ registryName: "acme-prod", repository: "api" });
 * ```
 */
export async function getRepositoryTags(args: GetRepositoryContentsArgs, opts?: InvokeOptions): Promise<GetRepositoryTagsResult> {
    const { registryName, repository } = contentsArgs("getRepositoryTags", args);
    const client = clientForInvoke(opts);
    const what = `repository "${repository}" in registry "${registryName}"`;
    const tags = await naming("getRepositoryTags", what, () => collect(client.listTags(registryName, repository)));
    return { tags: tags.map(tagInfo) };
}

function tagInfo(t: RepositoryTag): TagInfo {
    return {
        tag: t.tag,
        manifestDigest: t.manifest_digest ?? "",
        ...(t.compressed_size_bytes !== undefined ? { compressedSizeBytes: t.compressed_size_bytes } : {}),
        ...(t.size_bytes !== undefined ? { sizeBytes: t.size_bytes } : {}),
        ...(t.updated_at ? { updatedAt: t.updated_at } : {}),
    };
}

/**
 * {@link getRepositoryTags} with `Input` arguments.
 *
 * ```ts
 * export const apiTags = getRepositoryTagsOutput({ registryName: registry.name, repository: "api" }).tags.apply((t) => t.map((x) => x.tag));
 * ```
 */
export const getRepositoryTagsOutput = liftToOutput(getRepositoryTags);

/** The result of {@link getRepositoryManifests}. */
export interface GetRepositoryManifestsResult {
    manifests: ManifestInfo[];
}

/** A manifest, camel-cased. */
export interface ManifestInfo {
    digest: string;
    tags: string[];
    compressedSizeBytes?: number;
    sizeBytes?: number;
    updatedAt?: string;
    blobs: { digest: string; compressedSizeBytes?: number }[];
}

/**
 * Every manifest (image digest) of a repository, tagged or not, all pages.
 *
 * ```ts
 * const { manifests } = await getRepositoryManifests({ registryName: "acme-prod", repository: "api" });
 * const untagged = manifests.filter((m) => m.tags.length === 0);
 * ```
 */
export async function getRepositoryManifests(args: GetRepositoryContentsArgs, opts?: InvokeOptions): Promise<GetRepositoryManifestsResult> {
    const { registryName, repository } = contentsArgs("getRepositoryManifests", args);
    const client = clientForInvoke(opts);
    const what = `repository "${repository}" in registry "${registryName}"`;
    const manifests = await naming("getRepositoryManifests", what, () => collect(client.listManifests(registryName, repository)));
    return { manifests: manifests.map(manifestInfo) };
}

function manifestInfo(m: RepositoryManifest): ManifestInfo {
    return {
        digest: m.digest,
        tags: [...(m.tags ?? [])],
        ...(m.compressed_size_bytes !== undefined ? { compressedSizeBytes: m.compressed_size_bytes } : {}),
        ...(m.size_bytes !== undefined ? { sizeBytes: m.size_bytes } : {}),
        ...(m.updated_at ? { updatedAt: m.updated_at } : {}),
        blobs: (m.blobs ?? []).map((b) => ({ digest: b.digest ?? "", ...(b.compressed_size_bytes !== undefined ? { compressedSizeBytes: b.compressed_size_bytes } : {}) })),
    };
}

/**
 * {@link getRepositoryManifests} with `Input` arguments.
 *
 * ```ts
 * export const untagged = getRepositoryManifestsOutput({ registryName: registry.name, repository: "api" })
 *     .manifests.apply((m) => m.filter((x) => x.tags.length === 0).length);
 * ```
 */
export const getRepositoryManifestsOutput = liftToOutput(getRepositoryManifests);
