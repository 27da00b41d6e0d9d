/** The data source of a registry's repositories. */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Connection } from "../client/connection";
import { collect } from "../client/pagination";
import { registryNameField } from "../shared/fields";
import { parseArgs } from "./args";
import { clientForInvoke, dataSourceCall, reportedInProgram } from "./invoke";

/** A repository with its latest manifest, as listed by {@link getRepositories}. */
export interface RepositoryInfo {
    /** The repository's name, e.g. `app` or `team/app`. */
    name: string;
    /** Tags in the repository. */
    tagCount: number;
    /** Manifests in the repository, tagged or not. */
    manifestCount: number;
    /** The newest tag of the latest manifest, when it has one. */
    latestTag?: string;
    /** The digest of the latest manifest. */
    latestManifestDigest?: string;
    /** When the latest manifest was pushed (ISO 8601). */
    latestUpdatedAt?: string;
}

/** The arguments of {@link getRepositories}. */
export interface GetRepositoriesArgs {
    /** The registry whose repositories to list. */
    registryName: string;
}

/** The arguments of {@link getRepositoriesOutput}, each possibly an `Output`. */
export interface GetRepositoriesOutputArgs {
    /** The registry whose repositories to list. */
    registryName: pulumi.Input<string>;
}

/** The result of {@link getRepositories}. */
export interface GetRepositoriesResult {
    /** The registry listed. */
    registryName: string;
    /** Every repository of the registry. */
    repositories: RepositoryInfo[];
}

const repositoriesArgsSchema = z.strictObject({ registryName: registryNameField() });

/**
 * Every repository of a registry, all pages.
 *
 * ```ts
 * const { repositories } = await getRepositories({ registryName: "acme-prod" });
 * const biggest = [...repositories].sort((a, b) => b.tagCount - a.tagCount)[0];
 * ```
 */
export async function getRepositories(
    args: GetRepositoriesArgs,
    connection?: Connection,
): Promise<GetRepositoriesResult> {
    return reportedInProgram(async () => {
        const { registryName } = parseArgs("getRepositories", repositoriesArgsSchema, args);
        const client = clientForInvoke(connection);
        const items = await dataSourceCall("getRepositories", `registry "${registryName}"`, () =>
            collect(client.listRepositories(registryName)),
        );
        const repositories = items.map((r) => {
            const info: RepositoryInfo = {
                name: r.name,
                tagCount: r.tag_count ?? 0,
                manifestCount: r.manifest_count ?? 0,
            };
            const latest = r.latest_manifest ?? undefined;
            if (latest?.tags?.length) info.latestTag = latest.tags[0];
            if (latest?.digest) info.latestManifestDigest = latest.digest;
            if (latest?.updated_at) info.latestUpdatedAt = latest.updated_at;
            return info;
        });
        return { registryName, repositories };
    });
}

/**
 * {@link getRepositories} with `Input` arguments.
 *
 * ```ts
 * export const repositoryCount = getRepositoriesOutput({ registryName: registry.name }).repositories.apply((r) => r.length);
 * ```
 */
export function getRepositoriesOutput(
    args: GetRepositoriesOutputArgs,
    connection?: Connection,
): pulumi.Output<GetRepositoriesResult> {
    return pulumi.output(args).apply((resolved) => getRepositories(resolved, connection));
}
