/** Schemas of DOKS clusters (`/v2/kubernetes/clusters`), read for their registry integration. */
import { z } from "zod";
import type { KubernetesCluster } from "../types";
import { opt, pageOf } from "./common";

/**
 * A cluster, reduced to what the registry integration needs. `registry_enabled` says whether any
 * registry is integrated; no operation says which ones (see the README, ClusterRegistryIntegration).
 */
export const kubernetesClusterSchema = z.object({
    id: z.string().min(1),
    name: z.string(),
    region: z.string(),
    registry_enabled: opt(z.boolean()),
}) satisfies z.ZodType<KubernetesCluster>;

/** `{ kubernetes_cluster }`: get. */
export const kubernetesClusterEnvelopeSchema = z.object({ kubernetes_cluster: kubernetesClusterSchema });

/** One page of `{ kubernetes_clusters, meta, links }`. */
export const kubernetesClusterPageSchema = pageOf("kubernetes_clusters", kubernetesClusterSchema);
