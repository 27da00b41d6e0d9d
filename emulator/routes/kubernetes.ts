import { notFound, preconditionFailed, unprocessable } from "../errors";
import { paginate, parsePaging } from "../pagination";
import { jsonObject, param, type Route, type RouteContext } from "../router";
import type { Store } from "../state";
import type { ClusterState } from "../types";
import { clusterView } from "../views";

/** A non-empty array of strings from a request body, or a 422 naming the field. */
function stringList(body: Record<string, unknown>, field: string): string[] {
    const value = body[field];
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "string" && v !== "")) {
        throw unprocessable(`${field} is required and must be a non-empty array of strings`);
    }
    return [...new Set(value as string[])];
}

/**
 * The clusters and registries a request names, all of them checked before anything changes: an
 * unknown one is a 404 naming it (the operations declare only `default` for errors).
 */
function resolvePairs(store: Store, clusterIds: string[], registryNames: string[]): ClusterState[] {
    const clusters = clusterIds.map((id) => store.cluster(id));
    for (const name of registryNames) store.registry(name);
    return clusters;
}

/** `{cluster_uuids, registries}`. */
function pairsOf(ctx: RouteContext): { clusters: ClusterState[]; registries: string[] } {
    const body = jsonObject(ctx);
    const clusterIds = stringList(body, "cluster_uuids");
    const registries = stringList(body, "registries");
    return { clusters: resolvePairs(ctx.store, clusterIds, registries), registries };
}

/**
 * `{cluster_uuids}` of the older form, which means "the team's registry": the one registry, a 404
 * without any, and a 412 with several (the reference: legacy endpoints stop working then).
 */
function legacyPairsOf(ctx: RouteContext): { clusters: ClusterState[]; registries: string[] } {
    const clusterIds = stringList(jsonObject(ctx), "cluster_uuids");
    const names = ctx.store.state.registries.map((r) => r.name);
    if (names.length === 0) throw notFound("the team has no container registry to integrate");
    if (names.length > 1) {
        throw preconditionFailed(`the team has ${names.length} registries: name them with /v2/kubernetes/registries`);
    }
    return { clusters: resolvePairs(ctx.store, clusterIds, names), registries: names };
}

function add(ctx: RouteContext, pairs: { clusters: ClusterState[]; registries: string[] }) {
    for (const cluster of pairs.clusters) {
        for (const name of pairs.registries) if (!cluster.registries.includes(name)) cluster.registries.push(name);
    }
    ctx.store.touch();
    return { status: 204 };
}

/** Removing a registry a cluster does not have changes nothing (204). */
function remove(ctx: RouteContext, pairs: { clusters: ClusterState[]; registries: string[] }) {
    for (const cluster of pairs.clusters)
        cluster.registries = cluster.registries.filter((r) => !pairs.registries.includes(r));
    ctx.store.touch();
    return { status: 204 };
}

/** The DOKS cluster reads and the four registry-integration operations. */
export const kubernetesRoutes: Route[] = [
    {
        method: "GET",
        path: "/v2/kubernetes/clusters",
        operationId: "kubernetes_list_clusters",
        handler: (ctx) => {
            const page = paginate(ctx.store.state.clusters, parsePaging(ctx.query, false), ctx.baseUrl, ctx.rawPath);
            return {
                status: 200,
                body: { kubernetes_clusters: page.items.map(clusterView), links: page.links, meta: page.meta },
            };
        },
    },
    {
        method: "GET",
        path: "/v2/kubernetes/clusters/:cluster_id",
        operationId: "kubernetes_get_cluster",
        handler: (ctx) => ({
            status: 200,
            body: { kubernetes_cluster: clusterView(ctx.store.cluster(param(ctx, "cluster_id"))) },
        }),
    },
    {
        method: "POST",
        path: "/v2/kubernetes/registries",
        operationId: "kubernetes_add_registries",
        handler: (ctx) => add(ctx, pairsOf(ctx)),
    },
    {
        method: "DELETE",
        path: "/v2/kubernetes/registries",
        operationId: "kubernetes_remove_registries",
        handler: (ctx) => remove(ctx, pairsOf(ctx)),
    },
    {
        method: "POST",
        path: "/v2/kubernetes/registry",
        operationId: "kubernetes_add_registry",
        handler: (ctx) => add(ctx, legacyPairsOf(ctx)),
    },
    {
        method: "DELETE",
        path: "/v2/kubernetes/registry",
        operationId: "kubernetes_remove_registry",
        handler: (ctx) => remove(ctx, legacyPairsOf(ctx)),
    },
];
