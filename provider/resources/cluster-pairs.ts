import type { ClusterRegistries, DocrClient } from "../client";
import { collect } from "../client/pagination";
import { errorKind } from "../client/errors";

/** What a ClusterRegistryIntegration holds: every registry named, on every cluster named. */
export interface Pairs {
    /** The DOKS cluster UUIDs this resource integrated (refresh drops clusters that are gone or report no registry). */
    clusterIds: string[];
    /** The registries this resource integrated with every one of those clusters (refresh drops registries that are gone). */
    registryNames: string[];
}

const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));
const both = (a: readonly string[], b: readonly string[]) => a.filter((x) => b.includes(x));
const nonEmpty = (p: ClusterRegistries) => p.clusterIds.length > 0 && p.registryNames.length > 0;

/**
 * The requests that turn `olds` into `news`, at most two adds and two removes: the API takes every
 * registry of a request onto every cluster of it, so pairs go in blocks. Adds cover exactly the
 * pairs that are new; removes exactly the pairs no longer listed, so a pair that stays is never removed.
 */
export function planUpdate(olds: Pairs, news: Pairs): { adds: ClusterRegistries[]; removes: ClusterRegistries[] } {
    const adds = [
        { clusterIds: minus(news.clusterIds, olds.clusterIds), registryNames: news.registryNames },
        {
            clusterIds: both(news.clusterIds, olds.clusterIds),
            registryNames: minus(news.registryNames, olds.registryNames),
        },
    ].filter(nonEmpty);
    const removes = [
        { clusterIds: minus(olds.clusterIds, news.clusterIds), registryNames: olds.registryNames },
        {
            clusterIds: both(olds.clusterIds, news.clusterIds),
            registryNames: minus(olds.registryNames, news.registryNames),
        },
    ].filter(nonEmpty);
    return { adds, removes };
}

/** The clusters and registries of the team, for read, check and a remove that met a 404. */
export async function teamInventory(client: DocrClient): Promise<{
    clusters: Map<string, { name: string; registryEnabled?: boolean }>;
    /** Each registry's `createdAt` (`undefined` where the API gave none). */
    registries: Map<string, string | undefined>;
}> {
    const [clusters, registries] = await Promise.all([
        collect(client.listKubernetesClusters()),
        client.listRegistries(),
    ]);
    return {
        clusters: new Map(clusters.map((c) => [c.id, { name: c.name, registryEnabled: c.registry_enabled }])),
        registries: new Map(registries.map((r) => [r.name, r.created_at])),
    };
}

/** The `createdAt` of each of these registries that exists and has one. */
export async function registryStamps(client: DocrClient, names: readonly string[]): Promise<Record<string, string>> {
    const stamps: Record<string, string> = {};
    for (const registry of await client.listRegistries()) {
        if (names.includes(registry.name) && registry.created_at) stamps[registry.name] = registry.created_at;
    }
    return stamps;
}

/**
 * Removes the pairs. The API answers 404 when a cluster or registry of the request no longer
 * exists, and its integration went with it: the pairs whose cluster and registry remain are
 * removed again, and nothing else.
 */
export async function removePairs(client: DocrClient, pairs: ClusterRegistries): Promise<void> {
    if (!nonEmpty(pairs)) return;
    try {
        await client.removeClusterRegistries(pairs);
    } catch (err) {
        if (errorKind(err) !== "not_found") throw err;
        const team = await teamInventory(client);
        const remaining = {
            clusterIds: pairs.clusterIds.filter((id) => team.clusters.has(id)),
            registryNames: both(pairs.registryNames, [...team.registries.keys()]),
        };
        if (!nonEmpty(remaining)) return;
        // Everything still exists: the 404 is about something else, and is the user's to see.
        if (
            remaining.clusterIds.length === pairs.clusterIds.length &&
            remaining.registryNames.length === pairs.registryNames.length
        )
            throw err;
        await client.removeClusterRegistries(remaining);
    }
}
