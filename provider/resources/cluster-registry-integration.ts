import * as pulumi from "@pulumi/pulumi";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { ConfiguredProvider, isUnknown } from "./common";
import { type Listed, remoteIntegrationChecks } from "./cluster-checks";
import { type Pairs, planUpdate, removePairs, teamInventory } from "./cluster-pairs";
import { clusterIdField, quoted, registryNameField } from "../shared/fields";
import { serializedProvider } from "./serialized";
import { validateInputs } from "./validate";
import type { OutputProperties } from "./outputs";

/** The arguments of a {@link ClusterRegistryIntegration}. */
export interface ClusterRegistryIntegrationArgs {
    /** DOKS cluster UUIDs (`getKubernetesClusters` finds them by name). Each gets every registry below. */
    clusterIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Registries the clusters pull from (each cluster gets a managed pull secret for them). */
    registryNames: pulumi.Input<pulumi.Input<string>[]>;
}

/** A value listed twice is a mistake in the program, named rather than silently merged. */
function noDuplicates(values: string[], ctx: z.RefinementCtx): void {
    values.forEach((value, i) => {
        if (!isUnknown(value) && values.indexOf(value) < i)
            ctx.addIssue({ code: "custom", path: [i], message: `${quoted(value)} is listed twice` });
    });
}

/** The checked inputs of a {@link ClusterRegistryIntegration}. */
export interface ClusterRegistryIntegrationInputs {
    clusterIds: string[];
    registryNames: string[];
}

const integrationInputsSchema = z.strictObject({
    clusterIds: z
        .array(clusterIdField(), { error: "must be a list of cluster UUIDs" })
        .min(1, { error: "must name at least one cluster" })
        .superRefine(noDuplicates),
    registryNames: z
        .array(registryNameField(), { error: "must be a list of registry names" })
        .min(1, { error: "must name at least one registry" })
        .superRefine(noDuplicates),
}) satisfies z.ZodType<ClusterRegistryIntegrationInputs>;

/** What an integration looks like in state: the pairs this resource added. */
export type ClusterRegistryIntegrationOutputs = Pairs;

const KEYS = ["clusterIds", "registryNames"] as const;

/** Order does not matter: the pairs are the same. Unknown lists or elements (preview) are changes. */
function differs(olds: readonly string[] | undefined, next: unknown): boolean {
    if (next === undefined) return false;
    if (!Array.isArray(next) || next.some(isUnknown)) return true;
    const sorted = (values: readonly unknown[]) => JSON.stringify([...values].map(String).sort());
    return sorted(olds ?? []) !== sorted(next);
}

/** Known list elements the stack does not hold yet: only those are asked about. */
function newElements(news: unknown, values: string[] | undefined, olds: unknown): Listed[] {
    if (isUnknown(news) || !values) return [];
    const held = Array.isArray(olds) ? olds : [];
    return values.flatMap((value, index) => (isUnknown(value) || held.includes(value) ? [] : [{ index, value }]));
}

/** The CRUD implementation of {@link ClusterRegistryIntegration}. */
export class ClusterRegistryIntegrationProvider
    extends ConfiguredProvider
    implements pulumi.dynamic.ResourceProvider<ClusterRegistryIntegrationInputs, ClusterRegistryIntegrationOutputs>
{
    async check(
        olds: ClusterRegistryIntegrationInputs,
        news: ClusterRegistryIntegrationInputs,
    ): Promise<pulumi.dynamic.CheckResult<ClusterRegistryIntegrationInputs>> {
        const { inputs, failures, parsed } = validateInputs(integrationInputsSchema, news);
        if (failures.length > 0 || !parsed) return { inputs, failures };
        const remote = await remoteIntegrationChecks(this.connection, () => this.client(), {
            clusterIds: newElements(news.clusterIds, parsed.clusterIds, olds.clusterIds),
            registryNames: newElements(news.registryNames, parsed.registryNames, olds.registryNames),
        });
        return { inputs, failures: remote };
    }

    diff(
        _id: string,
        olds: ClusterRegistryIntegrationOutputs,
        news: ClusterRegistryIntegrationInputs,
    ): Promise<pulumi.dynamic.DiffResult> {
        const changed = KEYS.filter((key) => differs(olds[key], news[key]));
        return Promise.resolve({ changes: changed.length > 0, replaces: [], deleteBeforeReplace: false });
    }

    async create(
        inputs: ClusterRegistryIntegrationInputs,
    ): Promise<pulumi.dynamic.CreateResult<ClusterRegistryIntegrationOutputs>> {
        await this.client().addClusterRegistries(inputs);
        const outs: ClusterRegistryIntegrationOutputs = {
            clusterIds: inputs.clusterIds,
            registryNames: inputs.registryNames,
        };
        return { id: randomUUID(), outs };
    }

    /**
     * The API says per cluster only whether some registry is integrated (`registry_enabled`), never
     * which. A cluster that is gone, or reports none, leaves the state's `clusterIds`, and so does a
     * registry that is gone: the next `pulumi up` adds them back (or its check names what is missing).
     */
    async read(
        id: string,
        props?: ClusterRegistryIntegrationOutputs,
    ): Promise<pulumi.dynamic.ReadResult<ClusterRegistryIntegrationOutputs>> {
        if (!props?.clusterIds || !props.registryNames) {
            throw new Error(
                `ClusterRegistryIntegration "${id}" cannot be imported: the API cannot list which registries a cluster has. ` +
                    "Declare it in the program instead: creating it adds pairs that exist already without harm.",
            );
        }
        const team = await teamInventory(this.client());
        const clusterIds: string[] = [];
        for (const clusterId of props.clusterIds) {
            const cluster = team.clusters.get(clusterId);
            if (!cluster) {
                await pulumi.log.warn(
                    `ClusterRegistryIntegration: cluster "${clusterId}" no longer exists; it is dropped from clusterIds`,
                );
            } else if (cluster.registryEnabled === false) {
                await pulumi.log.warn(
                    `ClusterRegistryIntegration: cluster "${cluster.name}" (${clusterId}) reports no registry (registry_enabled: false); ` +
                        `the next pulumi up integrates ${props.registryNames.join(", ")} again`,
                );
            } else {
                clusterIds.push(clusterId);
            }
        }
        const registryNames = props.registryNames.filter((name) => team.registries.includes(name));
        for (const name of props.registryNames) {
            if (!registryNames.includes(name))
                await pulumi.log.warn(
                    `ClusterRegistryIntegration: registry "${name}" no longer exists; it is dropped from registryNames`,
                );
        }
        const clustersGone = props.clusterIds.every((c) => !team.clusters.has(c));
        if (clustersGone || registryNames.length === 0) return { id: "" };
        const outs: ClusterRegistryIntegrationOutputs = { clusterIds, registryNames };
        return { id, props: outs, inputs: outs };
    }

    /** New pairs first, then the pairs no longer listed: a pair that stays is never removed. */
    async update(
        _id: string,
        olds: ClusterRegistryIntegrationOutputs,
        news: ClusterRegistryIntegrationInputs,
    ): Promise<pulumi.dynamic.UpdateResult<ClusterRegistryIntegrationOutputs>> {
        const client = this.client();
        const plan = planUpdate(olds, news);
        for (const pairs of plan.adds) await client.addClusterRegistries(pairs);
        for (const pairs of plan.removes) await removePairs(client, pairs);
        const outs: ClusterRegistryIntegrationOutputs = {
            clusterIds: news.clusterIds,
            registryNames: news.registryNames,
        };
        return { outs };
    }

    /** Removes the pairs this resource holds, and only those; a cluster or registry already gone is no error. */
    async delete(_id: string, props: ClusterRegistryIntegrationOutputs): Promise<void> {
        await removePairs(this.client(), props);
    }
}

/** The outputs of a {@link ClusterRegistryIntegration}, as properties (its inputs: both are required, so no placeholders). */
export interface ClusterRegistryIntegration extends OutputProperties<ClusterRegistryIntegrationOutputs> {}

/**
 * Gives DOKS clusters pull access to registries: every registry named is integrated with every
 * cluster named (DigitalOcean then keeps a pull secret for them in the cluster).
 *
 * ```ts
 * import { ClusterRegistryIntegration, Registry, getKubernetesClustersOutput } from "pulumi-docr";
 *
 * const registry = new Registry("app", { name: "acme-prod", subscriptionTierSlug: "professional" });
 * const cluster = getKubernetesClustersOutput().clusters.apply((cs) => cs.find((c) => c.name === "prod-cluster")!);
 * new ClusterRegistryIntegration("prod-pull", { clusterIds: [cluster.id], registryNames: [registry.name] });
 * ```
 *
 * Removing a cluster or registry from the lists removes exactly those pairs (after adding any new
 * ones); deleting the resource removes every pair it holds. The API cannot list which registries
 * a cluster has, so two stacks integrating the same pair share it: whichever removes it first
 * removes it for both (see docs/resources.md).
 */
export class ClusterRegistryIntegration extends pulumi.dynamic.Resource {
    constructor(name: string, args: ClusterRegistryIntegrationArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            serializedProvider("ClusterRegistryIntegration"),
            name,
            { ...args },
            opts,
            "docr",
            "ClusterRegistryIntegration",
        );
    }
}
