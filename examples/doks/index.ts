/**
 * Each environment's DOKS cluster pulls from that environment's own registry: stacks `dev` and
 * `prod` (Pulumi.<stack>.yaml name the cluster and the registry).
 *
 * The cluster is found by name with `getKubernetesClustersOutput` (clusters are usually made by
 * another stack or by hand); the registry is made here; `ClusterRegistryIntegration` gives the
 * cluster pull access to it (DigitalOcean keeps a pull secret for it in the cluster's namespaces).
 * No credentials to rotate, no Secret to copy: compare `RegistryCredentials` in examples/multi-env,
 * which is for pullers outside DOKS.
 *
 * Against the local emulator, seeded with both clusters:
 *
 *   $ npx docr-emulator --fixture node_modules/pulumi-docr/emulator/examples/doks-fixture.json
 *   $ pulumi config set digitalocean:apiUrl http://127.0.0.1:<port> --stack dev
 *   $ pulumi config set --secret digitalocean:token <printed token> --stack dev
 *   $ pulumi up --stack dev
 *
 * The integration holds pairs (every registry with every cluster); the API cannot list which
 * registries a cluster has, so do not integrate the same registry with the same cluster from two
 * stacks: destroying either removes it for both.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterRegistryIntegration, Registry, getKubernetesClustersOutput } from "pulumi-docr";

const config = new pulumi.Config();
const stack = pulumi.getStack();

const settings = {
    clusterName: config.require("clusterName"),
    /** Globally unique across DigitalOcean: pick your own. */
    registryName: config.require("registryName"),
    region: config.require("region"),
    tier: config.require("tier"),
};

/** The environment's cluster, or an error naming the clusters the team has. */
const cluster = getKubernetesClustersOutput().clusters.apply((clusters) => {
    const found = clusters.find((c) => c.name === settings.clusterName);
    if (!found) {
        const names = clusters.map((c) => c.name).join(", ") || "none";
        throw new Error(`${stack}: no DOKS cluster named "${settings.clusterName}" in this team (it has: ${names})`);
    }
    return found;
});

const registry = new Registry("registry", {
    name: settings.registryName,
    region: settings.region,
    subscriptionTierSlug: settings.tier,
});

const pull = new ClusterRegistryIntegration("cluster-pull", {
    clusterIds: [cluster.id],
    registryNames: [registry.name],
});

export const environment = stack;
export const clusterId = cluster.id;
export const clusterRegion = cluster.region;
export const registryServer = registry.serverUrl;
export const pullsFrom = pull.registryNames;
