/** Repositories, tags and manifests (repository names may contain `/`). */
import type { z } from "zod";
import { callNoContent } from "../http";
import type { ClientSettings } from "../settings";
import { type Cursor, paginateByPage, paginateByToken, PER_PAGE } from "../pagination";
import { manifestPageSchema, repositoryV2PageSchema, tagPageSchema } from "../schemas/repository";
import type { PageInfo, RepositoryManifest, RepositoryTag, RepositoryV2 } from "../types";
import { fetchPage, listOptions } from "./page";

const REPOSITORY = "/v2/registries/{registry_name}/repositories/{repository_name}";

export function listRepositories(s: ClientSettings, name: string): AsyncIterable<RepositoryV2> {
    const operation = "registries_list_repositoriesV2";
    return paginateByToken(
        (cursor: Cursor | undefined) =>
            fetchPage(
                s,
                {
                    operation,
                    method: "GET",
                    template: "/v2/registries/{registry_name}/repositoriesV2",
                    params: { registry_name: name },
                    subject: `registry "${name}"`,
                    query: { per_page: PER_PAGE, page: cursor?.page, page_token: cursor?.pageToken },
                },
                repositoryV2PageSchema,
                (b) => b.repositories,
            ),
        listOptions(s, operation, (r) => r.name, 1),
    );
}

export function listTags(s: ClientSettings, name: string, repo: string): AsyncIterable<RepositoryTag> {
    return listInRepository(s, name, repo, {
        operation: "registries_list_repositoryTags",
        path: "tags",
        schema: tagPageSchema,
        items: (b) => b.tags,
        key: (t) => t.tag,
    });
}

export function listManifests(s: ClientSettings, name: string, repo: string): AsyncIterable<RepositoryManifest> {
    return listInRepository(s, name, repo, {
        operation: "registries_list_repositoryManifests",
        path: "digests",
        schema: manifestPageSchema,
        items: (b) => b.manifests,
        key: (m) => m.digest,
    });
}

/** A list under a repository (tags, digests), paged by `page` number. */
interface RepositoryList<B extends PageInfo, T> {
    operation: string;
    path: string;
    schema: z.ZodType<B>;
    items: (body: B) => T[];
    /** What tells two items apart across pages. */
    key: (item: T) => string;
}

function listInRepository<B extends PageInfo, T>(
    s: ClientSettings,
    name: string,
    repo: string,
    list: RepositoryList<B, T>,
): AsyncIterable<T> {
    return paginateByPage(
        (page) =>
            fetchPage(
                s,
                {
                    operation: list.operation,
                    method: "GET",
                    template: `${REPOSITORY}/${list.path}`,
                    params: { registry_name: name, repository_name: repo },
                    subject: repoSubject(name, repo),
                    query: { per_page: PER_PAGE, page },
                },
                list.schema,
                list.items,
            ),
        listOptions(s, list.operation, list.key),
    );
}

export async function deleteRepository(s: ClientSettings, name: string, repo: string): Promise<void> {
    await callNoContent(s, {
        operation: "registries_delete_repository",
        method: "DELETE",
        template: REPOSITORY,
        params: { registry_name: name, repository_name: repo },
        subject: repoSubject(name, repo),
    });
}

export async function deleteTag(s: ClientSettings, name: string, repo: string, tag: string): Promise<void> {
    await callNoContent(s, {
        operation: "registries_delete_repositoryTag",
        method: "DELETE",
        template: `${REPOSITORY}/tags/{repository_tag}`,
        params: { registry_name: name, repository_name: repo, repository_tag: tag },
        subject: `tag "${name}/${repo}:${tag}"`,
    });
}

export async function deleteManifest(s: ClientSettings, name: string, repo: string, digest: string): Promise<void> {
    await callNoContent(s, {
        operation: "registries_delete_repositoryManifest",
        method: "DELETE",
        template: `${REPOSITORY}/digests/{manifest_digest}`,
        params: { registry_name: name, repository_name: repo, manifest_digest: digest },
        subject: `manifest "${name}/${repo}@${digest}"`,
    });
}

function repoSubject(name: string, repo: string): string {
    return `repository "${repo}" in registry "${name}"`;
}
