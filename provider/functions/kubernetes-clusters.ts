import * as pulumi from "@pulumi/pulumi";
import type { KubernetesCluster } from "../client";
import type { Connection } from "../client/connection";
import { collect } from "../client/pagination";
import { callWithConfigHint } from "../shared/stack-config";
import { clientForInvoke, reportedInProgram } from "./invoke";

/** A DOKS cluster as the data sources describe it. */
export interface KubernetesClusterInfo {
    /** The cluster's UUID: what `ClusterRegistryIntegration.clusterIds` takes. */
    id: string;
    /** The cluster's name. */
    name: string;
    /** The region slug the cluster is in. */
    region: string;
    /** Whether some registry is integrated with the cluster (the API does not say which). */
    registryEnabled: boolean;
}

function clusterInfo(api: KubernetesCluster): KubernetesClusterInfo {
    return { id: api.id, name: api.name, region: api.region, registryEnabled: api.registry_enabled ?? false };
}

/** The result of {@link getKubernetesClusters}. */
export interface GetKubernetesClustersResult {
    /** Every DOKS cluster of the team. */
    clusters: KubernetesClusterInfo[];
}

/**
 * Every DOKS cluster of the team, so that a program finds its cluster by name.
 *
 * ```ts
 * const { clusters } = await getKubernetesClusters();
 * const prod = clusters.find((c) => c.name === "prod-cluster");
 * ```
 */
export async function getKubernetesClusters(connection?: Connection): Promise<GetKubernetesClustersResult> {
    return reportedInProgram(async () => {
        const client = clientForInvoke(connection);
        const clusters = await callWithConfigHint(() => collect(client.listKubernetesClusters()));
        return { clusters: clusters.map(clusterInfo) };
    });
}

/**
 * {@link getKubernetesClusters} as an `Output`.
 *
 * ```ts
 * const clusterId = getKubernetesClustersOutput().clusters.apply((cs) => cs.find((c) => c.name === "prod-cluster")!.id);
 * ```
 */
export function getKubernetesClustersOutput(connection?: Connection): pulumi.Output<GetKubernetesClustersResult> {
    return pulumi.output(getKubernetesClusters(connection));
}
