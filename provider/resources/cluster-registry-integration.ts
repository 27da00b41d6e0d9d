import * as pulumi from "@pulumi/pulumi";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { DocrClient } from "../client";
import { ConfiguredProvider, UNKNOWN, isUnknown, plain } from "./common";
import { type Listed, remoteIntegrationChecks } from "./cluster-checks";
import { type Pairs, planUpdate, registryStamps, removePairs, teamInventory } from "./cluster-pairs";
import { registryRecreation } from "./remote-checks";
import { clusterIdField, quoted, registryNameField } from "../shared/fields";
import { DocrResource } from "./resource";
import { validateInputs } from "./validate";
import type { OutputPlaceholders, OutputProperties } from "./outputs";

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
    /**
     * Set by `check`, never by the program: the `createdAt` of each registry that a `Registry` of
     * this run replaces (unknown at preview, before it exists again). A stamp that differs from the
     * one in state means the API dropped that registry's pairs: the update adds them again.
     */
    registryCreatedAt?: Record<string, string>;
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

/**
 * What an integration looks like in state: the pairs this resource added, and the `createdAt` of
 * each registry when they were added (absent where the API gave none, or state written by 0.1.0).
 */
export interface ClusterRegistryIntegrationOutputs extends Pairs {
    registryCreatedAt?: Record<string, string>;
}

/** A placeholder for each output, registered by the resource class under its arguments. */
const CLUSTER_REGISTRY_INTEGRATION_OUTPUTS = {
    clusterIds: undefined,
    registryNames: undefined,
    registryCreatedAt: undefined,
} satisfies OutputPlaceholders<ClusterRegistryIntegrationOutputs>;

const KEYS = ["clusterIds", "registryNames"] as const;

/** Order does not matter: the pairs are the same. Unknown lists or elements (preview) are changes. */
function differs(olds: readonly string[] | undefined, next: unknown): boolean {
    if (next === undefined) return false;
    if (!Array.isArray(next) || next.some(isUnknown)) return true;
    const sorted = (values: readonly unknown[]) => JSON.stringify([...values].map(String).sort());
    return sorted(olds ?? []) !== sorted(next);
}

/** Registries whose stamp in `news` says they are not the ones `olds` integrated (or not known yet). */
function renewedRegistries(olds: ClusterRegistryIntegrationOutputs, news: ClusterRegistryIntegrationInputs): string[] {
    const stamps = news.registryCreatedAt ?? {};
    return Object.keys(stamps).filter(
        (name) =>
            (olds.registryNames ?? []).includes(name) &&
            (isUnknown(stamps[name]) || stamps[name] !== olds.registryCreatedAt?.[name]),
    );
}

/** Known list elements the stack does not hold yet: only those are asked about. */
function newElements(news: unknown, values: string[] | undefined, olds: unknown): Listed[] {
    if (isUnknown(news) || !values) return [];
    const held = Array.isArray(olds) ? olds : [];
    return values.flatMap((value, index) => (isUnknown(value) || held.includes(value) ? [] : [{ index, value }]));
}

/** The CRUD implementation of {@link ClusterRegistryIntegration}. */
export class ClusterRegistryIntegrationProvider extends ConfiguredProvider<
    ClusterRegistryIntegrationInputs,
    ClusterRegistryIntegrationOutputs
> {
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
        const stamps = this.recreatedStamps(parsed.registryNames ?? []);
        return { inputs: stamps ? { ...inputs, registryCreatedAt: stamps } : inputs, failures: remote };
    }

    /**
     * The registries of this run's replacements (noted by the `Registry` diff of this host process,
     * which the engine runs first: the name is that resource's output, or `dependsOn` orders it):
     * the new `createdAt` once created, unknown before (preview). No API request.
     */
    private recreatedStamps(names: readonly string[]): Record<string, string> | undefined {
        const stamps: Record<string, string> = {};
        for (const name of names) {
            if (isUnknown(name)) continue;
            const recreation = registryRecreation(this.connection, name);
            if (recreation !== undefined) stamps[name] = recreation ?? UNKNOWN;
        }
        return Object.keys(stamps).length > 0 ? stamps : undefined;
    }

    diff(
        _id: string,
        olds: ClusterRegistryIntegrationOutputs,
        news: ClusterRegistryIntegrationInputs,
    ): Promise<pulumi.dynamic.DiffResult> {
        const changed = KEYS.filter((key) => differs(olds[key], news[key]));
        const renewed = renewedRegistries(olds, news);
        return Promise.resolve({
            changes: changed.length + renewed.length > 0,
            replaces: [],
            deleteBeforeReplace: false,
        });
    }

    async create(
        inputs: ClusterRegistryIntegrationInputs,
    ): Promise<pulumi.dynamic.CreateResult<ClusterRegistryIntegrationOutputs>> {
        const client = this.client();
        await client.addClusterRegistries(pairsOf(inputs));
        return { id: randomUUID(), outs: await withStamps(client, pairsOf(inputs)) };
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
        const registryCreatedAt: Record<string, string> = {};
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
        const registryNames: string[] = [];
        for (const name of props.registryNames) {
            const createdAt = team.registries.get(name);
            const integrated = props.registryCreatedAt?.[name];
            if (createdAt === undefined && !team.registries.has(name)) {
                await pulumi.log.warn(
                    `ClusterRegistryIntegration: registry "${name}" no longer exists; it is dropped from registryNames`,
                );
            } else if (integrated !== undefined && createdAt !== undefined && createdAt !== integrated) {
                // Deleted and created again since its pairs were added: the API dropped them then.
                await pulumi.log.warn(
                    `ClusterRegistryIntegration: registry "${name}" was created again (${createdAt}) after it was integrated ` +
                        `(${integrated}), so its clusters lost it; the next pulumi up integrates it again`,
                );
            } else {
                registryNames.push(name);
                if (createdAt !== undefined) registryCreatedAt[name] = createdAt;
            }
        }
        const clustersGone = props.clusterIds.every((c) => !team.clusters.has(c));
        if (clustersGone || registryNames.length === 0) return { id: "" };
        const outs: ClusterRegistryIntegrationOutputs = plain({
            clusterIds,
            registryNames,
            registryCreatedAt: Object.keys(registryCreatedAt).length > 0 ? registryCreatedAt : undefined,
        });
        return { id, props: outs, inputs: { clusterIds, registryNames } };
    }

    /**
     * New pairs first, then the pairs no longer listed: a pair that stays is never removed. A
     * registry created again since its pairs were added counts as new: the API dropped its pairs.
     */
    async update(
        _id: string,
        olds: ClusterRegistryIntegrationOutputs,
        news: ClusterRegistryIntegrationInputs,
    ): Promise<pulumi.dynamic.UpdateResult<ClusterRegistryIntegrationOutputs>> {
        const client = this.client();
        const renewed = renewedRegistries(olds, news);
        const held = {
            clusterIds: olds.clusterIds,
            registryNames: olds.registryNames.filter((n) => !renewed.includes(n)),
        };
        const plan = planUpdate(held, pairsOf(news));
        for (const pairs of plan.adds) await client.addClusterRegistries(pairs);
        for (const pairs of plan.removes) await removePairs(client, pairs);
        return { outs: await withStamps(client, pairsOf(news)) };
    }

    /** Removes the pairs this resource holds, and only those; a cluster or registry already gone is no error. */
    async delete(_id: string, props: ClusterRegistryIntegrationOutputs): Promise<void> {
        await removePairs(this.client(), pairsOf(props));
    }
}

function pairsOf(value: Pairs): Pairs {
    return { clusterIds: value.clusterIds, registryNames: value.registryNames };
}

/**
 * The pairs as state keeps them, with each registry's `createdAt` (one registry listing, shared with
 * the process's other reads): what refresh compares to tell a registry created again outside Pulumi.
 */
async function withStamps(client: DocrClient, pairs: Pairs): Promise<ClusterRegistryIntegrationOutputs> {
    const stamps = await registryStamps(client, pairs.registryNames);
    return plain({ ...pairs, registryCreatedAt: Object.keys(stamps).length > 0 ? stamps : undefined });
}

/** The outputs of a {@link ClusterRegistryIntegration}, as properties (described in {@link ClusterRegistryIntegrationOutputs}). */
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
export class ClusterRegistryIntegration extends DocrResource {
    constructor(name: string, args: ClusterRegistryIntegrationArgs, opts?: pulumi.CustomResourceOptions) {
        super("ClusterRegistryIntegration", name, { ...CLUSTER_REGISTRY_INTEGRATION_OUTPUTS, ...args }, opts);
    }
}
