/** DOKS clusters and their registry integration (`/v2/kubernetes/...`). */
import { callJson, callNoContent } from "../http";
import type { ClientSettings } from "../settings";
import { paginateByPage, PER_PAGE } from "../pagination";
import { kubernetesClusterEnvelopeSchema, kubernetesClusterPageSchema } from "../schemas/kubernetes";
import type { ClusterRegistries, KubernetesCluster } from "../types";
import { fetchPage, listOptions } from "./page";

export function listKubernetesClusters(s: ClientSettings): AsyncIterable<KubernetesCluster> {
    const operation = "kubernetes_list_clusters";
    return paginateByPage(
        (page) =>
            fetchPage(
                s,
                {
                    operation,
                    method: "GET",
                    template: "/v2/kubernetes/clusters",
                    query: { per_page: PER_PAGE, page },
                },
                kubernetesClusterPageSchema,
                (b) => b.kubernetes_clusters,
            ),
        listOptions(s, operation, (c) => c.id),
    );
}

export async function getKubernetesCluster(s: ClientSettings, id: string): Promise<KubernetesCluster> {
    const body = await callJson(
        s,
        {
            operation: "kubernetes_get_cluster",
            method: "GET",
            template: "/v2/kubernetes/clusters/{cluster_id}",
            params: { cluster_id: id },
            subject: `cluster "${id}"`,
        },
        kubernetesClusterEnvelopeSchema,
    );
    return body.kubernetes_cluster;
}

export async function addClusterRegistries(s: ClientSettings, pairs: ClusterRegistries): Promise<void> {
    await callNoContent(s, {
        operation: "kubernetes_add_registries",
        method: "POST",
        template: "/v2/kubernetes/registries",
        idempotent: true, // adding a registry a cluster already has changes nothing
        subject: subject(pairs),
        body: body(pairs),
    });
}

export async function removeClusterRegistries(s: ClientSettings, pairs: ClusterRegistries): Promise<void> {
    await callNoContent(s, {
        operation: "kubernetes_remove_registries",
        method: "DELETE",
        template: "/v2/kubernetes/registries",
        subject: subject(pairs),
        body: body(pairs),
    });
}

function body(pairs: ClusterRegistries) {
    return { cluster_uuids: [...pairs.clusterIds], registries: [...pairs.registryNames] };
}

function subject(pairs: ClusterRegistries): string {
    return `registries ${pairs.registryNames.join(", ")} on clusters ${pairs.clusterIds.join(", ")}`;
}
