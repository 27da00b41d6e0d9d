/**
 * A read-only inventory: what the team's registries hold, using only data sources (no resources,
 * so `pulumi up` changes nothing and `pulumi stack output summary` shows the result).
 *
 *   pulumi up --yes && pulumi stack output summary --json
 *
 * Listings are complete: the data sources follow every page.
 */
import * as pulumi from "@pulumi/pulumi";
import { getRegistries, getRepositories, getRepositoryTags, getSubscription } from "pulumi-docr";
import type { RegistryInfo } from "pulumi-docr";

const config = new pulumi.Config();
/** One registry, or (unset) every registry of the team. */
const onlyRegistry = config.get("registryName");
/** Tags are listed for at most this many repositories per registry (the most recently pushed). */
const maxRepositoriesWithTags = config.getNumber("maxRepositoriesWithTags") ?? 20;

interface RepositorySummary {
    name: string;
    tagCount: number;
    manifestCount: number;
    latestTag?: string;
    latestUpdatedAt?: string;
    /** Present for the most recently pushed repositories (see maxRepositoriesWithTags). */
    tags?: string[];
    /** Bytes of the tagged images (compressed, as stored). */
    taggedBytes?: number;
}

interface RegistrySummary {
    name: string;
    region: string;
    serverUrl: string;
    storageUsageBytes?: number;
    repositoryCount: number;
    tagCount: number;
    untaggedManifestCount: number;
    repositories: RepositorySummary[];
}

async function summarise(registry: RegistryInfo): Promise<RegistrySummary> {
    const { repositories } = await getRepositories({ registryName: registry.name });
    const newestFirst = [...repositories].sort((a, b) =>
        (b.latestUpdatedAt ?? "").localeCompare(a.latestUpdatedAt ?? ""),
    );
    const withTags = new Set(newestFirst.slice(0, maxRepositoriesWithTags).map((r) => r.name));

    const summaries = await Promise.all(
        newestFirst.map(async (repo): Promise<RepositorySummary> => {
            const summary: RepositorySummary = {
                name: repo.name,
                tagCount: repo.tagCount,
                manifestCount: repo.manifestCount,
                ...(repo.latestTag ? { latestTag: repo.latestTag } : {}),
                ...(repo.latestUpdatedAt ? { latestUpdatedAt: repo.latestUpdatedAt } : {}),
            };
            if (!withTags.has(repo.name)) return summary;
            const { tags } = await getRepositoryTags({ registryName: registry.name, repository: repo.name });
            summary.tags = tags.map((t) => t.tag);
            summary.taggedBytes = tags.reduce((sum, t) => sum + (t.compressedSizeBytes ?? 0), 0);
            return summary;
        }),
    );

    const tagCount = summaries.reduce((sum, r) => sum + r.tagCount, 0);
    // A manifest can carry several tags, so this is a lower bound of untagged manifests.
    const untaggedManifestCount = summaries.reduce((sum, r) => sum + Math.max(0, r.manifestCount - r.tagCount), 0);
    return {
        name: registry.name,
        region: registry.region,
        serverUrl: registry.serverUrl,
        ...(registry.storageUsageBytes !== undefined ? { storageUsageBytes: registry.storageUsageBytes } : {}),
        repositoryCount: summaries.length,
        tagCount,
        untaggedManifestCount,
        repositories: summaries,
    };
}

export = async () => {
    const [{ registries }, plan] = await Promise.all([getRegistries(), getSubscription().catch(() => undefined)]);
    const selected = onlyRegistry === undefined ? registries : registries.filter((r) => r.name === onlyRegistry);
    if (onlyRegistry !== undefined && selected.length === 0) {
        throw new Error(
            `registry "${onlyRegistry}" does not exist in this team; it has: ${registries.map((r) => r.name).join(", ") || "none"}`,
        );
    }
    const summaries = await Promise.all(selected.map(summarise));
    const repositoryCount = summaries.reduce((sum, r) => sum + r.repositoryCount, 0);
    const included = plan?.includedRepositories ?? 0;
    return {
        tier: plan?.tierSlug,
        repositoryCount,
        /** 0 means unlimited. */
        includedRepositories: included,
        overRepositoryLimit: included > 0 && repositoryCount > included,
        summary: summaries,
    };
};
