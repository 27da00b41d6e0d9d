/** The data sources of one repository's contents: its tags and its manifests. */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { DocrClient, RepositoryManifest, RepositoryTag } from "../client";
import type { Connection } from "../client/connection";
import { collect } from "../client/pagination";
import { registryNameField, repositoryNameField } from "../shared/fields";
import { parseArgs } from "./args";
import { clientForInvoke, dataSourceCall, reportedInProgram } from "./invoke";

const contentsArgsSchema = z.strictObject({ registryName: registryNameField(), repository: repositoryNameField() });

/** The arguments of {@link getRepositoryTags} and {@link getRepositoryManifests}. */
export interface GetRepositoryContentsArgs {
    /** The registry holding the repository. */
    registryName: string;
    /** The repository, e.g. `app` or `team/app` (encoded for the URL by the client). */
    repository: string;
}

/** The arguments of {@link getRepositoryTagsOutput} and {@link getRepositoryManifestsOutput}, each possibly an `Output`. */
export interface GetRepositoryContentsOutputArgs {
    /** The registry holding the repository. */
    registryName: pulumi.Input<string>;
    /** The repository, e.g. `app` or `team/app`. */
    repository: pulumi.Input<string>;
}

function contentsArgs(fn: string, args: GetRepositoryContentsArgs): GetRepositoryContentsArgs {
    return parseArgs(fn, contentsArgsSchema, args);
}

/** The result of {@link getRepositoryTags}. */
export interface GetRepositoryTagsResult {
    /** Every tag of the repository. */
    tags: TagInfo[];
}

/** A tag, camel-cased. */
export interface TagInfo {
    /** The tag, e.g. `v1.2.3`. */
    tag: string;
    /** The digest of the manifest the tag points at; empty when the API did not say. */
    manifestDigest: string;
    /** The image's compressed size, in bytes. */
    compressedSizeBytes?: number;
    /** The image's size, in bytes. */
    sizeBytes?: number;
    /** When the tag was last pushed (ISO 8601). */
    updatedAt?: string;
}

/**
 * Every tag of a repository, all pages.
 *
 * ```ts
 * const { tags } = await getRepositoryTags({ registryName: "acme-prod", repository: "api" });
 * ```
 */
export async function getRepositoryTags(
    args: GetRepositoryContentsArgs,
    connection?: Connection,
): Promise<GetRepositoryTagsResult> {
    const tags = await repositoryContents("getRepositoryTags", args, connection, (client, registryName, repository) =>
        client.listTags(registryName, repository),
    );
    return { tags: tags.map(tagInfo) };
}

/** Every item of one repository's listing (tags or manifests), all pages; a missing one is `not_found` naming it. */
async function repositoryContents<T>(
    fn: string,
    args: GetRepositoryContentsArgs,
    connection: Connection | undefined,
    list: (client: DocrClient, registryName: string, repository: string) => AsyncIterable<T>,
): Promise<T[]> {
    return reportedInProgram(async () => {
        const { registryName, repository } = contentsArgs(fn, args);
        const client = clientForInvoke(connection);
        const what = `repository "${repository}" in registry "${registryName}"`;
        return dataSourceCall(fn, what, () => collect(list(client, registryName, repository)));
    });
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
export function getRepositoryTagsOutput(
    args: GetRepositoryContentsOutputArgs,
    connection?: Connection,
): pulumi.Output<GetRepositoryTagsResult> {
    return pulumi.output(args).apply((resolved) => getRepositoryTags(resolved, connection));
}

/** The result of {@link getRepositoryManifests}. */
export interface GetRepositoryManifestsResult {
    /** Every manifest of the repository, tagged or not. */
    manifests: ManifestInfo[];
}

/** A blob (layer or config) of a manifest. */
export interface BlobInfo {
    /** The blob's digest; empty when the API did not say. */
    digest: string;
    /** The blob's compressed size, in bytes. */
    compressedSizeBytes?: number;
}

/** A manifest, camel-cased. */
export interface ManifestInfo {
    /** The manifest's digest (`sha256:…`). */
    digest: string;
    /** The tags pointing at it; empty for an untagged manifest. */
    tags: string[];
    /** The image's compressed size, in bytes. */
    compressedSizeBytes?: number;
    /** The image's size, in bytes. */
    sizeBytes?: number;
    /** When the manifest was pushed (ISO 8601). */
    updatedAt?: string;
    /** The manifest's blobs. */
    blobs: BlobInfo[];
}

/**
 * Every manifest (image digest) of a repository, tagged or not, all pages.
 *
 * ```ts
 * const { manifests } = await getRepositoryManifests({ registryName: "acme-prod", repository: "api" });
 * const untagged = manifests.filter((m) => m.tags.length === 0);
 * ```
 */
export async function getRepositoryManifests(
    args: GetRepositoryContentsArgs,
    connection?: Connection,
): Promise<GetRepositoryManifestsResult> {
    const manifests = await repositoryContents(
        "getRepositoryManifests",
        args,
        connection,
        (client, registryName, repository) => client.listManifests(registryName, repository),
    );
    return { manifests: manifests.map(manifestInfo) };
}

function manifestInfo(m: RepositoryManifest): ManifestInfo {
    return {
        digest: m.digest,
        tags: [...(m.tags ?? [])],
        ...(m.compressed_size_bytes !== undefined ? { compressedSizeBytes: m.compressed_size_bytes } : {}),
        ...(m.size_bytes !== undefined ? { sizeBytes: m.size_bytes } : {}),
        ...(m.updated_at ? { updatedAt: m.updated_at } : {}),
        blobs: (m.blobs ?? []).map((b) => ({
            digest: b.digest ?? "",
            ...(b.compressed_size_bytes !== undefined ? { compressedSizeBytes: b.compressed_size_bytes } : {}),
        })),
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
export function getRepositoryManifestsOutput(
    args: GetRepositoryContentsOutputArgs,
    connection?: Connection,
): pulumi.Output<GetRepositoryManifestsResult> {
    return pulumi.output(args).apply((resolved) => getRepositoryManifests(resolved, connection));
}
