import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Registry as ApiRegistry, DocrClient } from "../client";
import { type DocrError, errorKind, messageOf } from "../client/errors";
import { ConfiguredProvider, changedKeys, isUnknown, plain, readResult, URN_INPUT } from "./common";
import { regionField, registryNameField, tierSlugField } from "../shared/fields";
import { createdByAttempt, isOutcomeUnknown } from "./lost-response";
import {
    adoptCommand,
    adoptionConfirmed,
    journalCreate,
    mayBeOwnInterruptedCreate,
    recoverInterruptedCreate,
    type JournaledCreate,
} from "../recovery/registry-create";
import {
    noteCreatedRegistry,
    notePlannedRegistry,
    noteRecreatedRegistry,
    registryRecreation,
    remoteRegistryChecks,
    waysForward,
} from "./remote-checks";
import { planCostAtCheck } from "./cost/check";
import { DocrResource, urnInput } from "./resource";
import { validateInputs } from "./validate";
import type { OutputPlaceholders, OutputProperties } from "./outputs";

/** The arguments of a {@link Registry}. */
export interface RegistryArgs {
    /** Globally unique name: lowercase letters, digits and `-`, at most 63 characters. Changing it replaces the registry. */
    name: pulumi.Input<string>;
    /** Region slug (`nyc3`, `fra1`, …). Omitted: the API picks one. Changing it replaces the registry. */
    region?: pulumi.Input<string>;
    /**
     * The team's subscription tier (`starter`, `basic`, `professional`). Needed when the team has no
     * registry yet; changing it later changes the team's tier in place.
     */
    subscriptionTierSlug?: pulumi.Input<string>;
    /**
     * When this team already has a registry of this `name`, manage it instead of failing (the other
     * way is `docr-import` then `pulumi import`: docs/importing.md). Its region must be the one given
     * here, if any; the tier is set when `subscriptionTierSlug` is. A registry of another team is
     * never adopted. From then on the stack owns it: `pulumi destroy` deletes it.
     */
    adoptExisting?: pulumi.Input<boolean>;
}

/** The checked inputs of a {@link Registry}, as stored in state. */
export interface RegistryInputs {
    name: string;
    region?: string;
    subscriptionTierSlug?: "starter" | "basic" | "professional";
    adoptExisting?: boolean;
    /** Added by `check` when the registry sets the tier (not an argument): the plan's monthly cost, for policies. */
    estimatedMonthlyCostCents?: number;
    /** The resource's URN, set by the {@link Registry} class: what keys its create journal (recovery/journal.ts). */
    [URN_INPUT]?: string;
}

const registryInputsSchema = z.strictObject({
    name: registryNameField(),
    region: regionField().optional(),
    subscriptionTierSlug: tierSlugField().optional(),
    adoptExisting: z.boolean({ error: "adoptExisting: must be true or false" }).optional(),
}) satisfies z.ZodType<RegistryInputs>;

/** What a registry looks like in state: the outputs of a {@link Registry}. */
export interface RegistryOutputs {
    /** The registry's name (global across DigitalOcean). */
    name: string;
    /** The region slug the registry is in (`nyc3`, `fra1`, …); empty when the API did not say. */
    region: string;
    /** The team's tier, when this stack manages it; `undefined` when the program leaves the tier alone. */
    subscriptionTierSlug?: string;
    /** `true` when the registry was adopted with `adoptExisting`. */
    adoptExisting?: boolean;
    /** `registry.digitalocean.com/<name>`: the prefix of every image in the registry. */
    serverUrl: string;
    /** Bytes stored, as last reported by the API (refresh updates it). */
    storageUsageBytes?: number;
    /** When `storageUsageBytes` was measured (ISO 8601). */
    storageUsageBytesUpdatedAt?: string;
    /** When the registry was created (ISO 8601). */
    createdAt?: string;
}

/** A placeholder for each output, registered by the resource class under its arguments. */
const REGISTRY_OUTPUTS = {
    name: undefined,
    region: undefined,
    subscriptionTierSlug: undefined,
    adoptExisting: undefined,
    serverUrl: undefined,
    storageUsageBytes: undefined,
    storageUsageBytesUpdatedAt: undefined,
    createdAt: undefined,
} satisfies OutputPlaceholders<RegistryOutputs>;

/** Fields that cannot change in place: names are global and data lives in one region. */
const REPLACE_KEYS = ["name", "region"] as const;

export function registryOutputs(api: ApiRegistry, tierSlug: string | undefined): RegistryOutputs {
    return plain<RegistryOutputs>({
        name: api.name,
        region: api.region ?? "",
        subscriptionTierSlug: tierSlug,
        serverUrl: `registry.digitalocean.com/${api.name}`,
        storageUsageBytes: api.storage_usage_bytes,
        storageUsageBytesUpdatedAt: api.storage_usage_bytes_updated_at,
        createdAt: api.created_at,
    });
}

/** The CRUD implementation of {@link Registry}, run by Pulumi's dynamic-provider host. */
export class RegistryProvider extends ConfiguredProvider<RegistryInputs, RegistryOutputs> {
    async check(olds: RegistryInputs, news: RegistryInputs): Promise<pulumi.dynamic.CheckResult<RegistryInputs>> {
        const { estimatedMonthlyCostCents: _estimate, ...userNews } = news;
        const { inputs, failures, parsed } = validateInputs(registryInputsSchema, userNews);
        if (failures.length > 0 || !parsed) return { inputs, failures };
        const isNewName = !isUnknown(news.name) && olds.name !== news.name;
        const tier = isUnknown(news.subscriptionTierSlug) ? undefined : parsed.subscriptionTierSlug;
        const remote = await remoteRegistryChecks(this.connection, () => this.client(), {
            name: isNewName ? parsed.name : undefined,
            // The engine checks a replacement again without its old inputs, after the diff that noted it; and
            // a create this stack's interrupted `up` journaled (or one the user confirmed) is adopted by create.
            teamNameAllowed:
                parsed.adoptExisting === true ||
                (parsed.name !== undefined &&
                    (registryRecreation(this.connection, parsed.name) !== undefined ||
                        mayBeOwnInterruptedCreate(news[URN_INPUT], parsed.name))),
            region: isUnknown(news.region) ? undefined : parsed.region,
            tierSlug: tier,
        });
        if (remote.length > 0) return { inputs, failures: remote };
        if (parsed.name !== undefined) notePlannedRegistry(this.connection, parsed.name);
        if (tier === undefined) return { inputs, failures: [] };
        const estimate = await planCostAtCheck(this.connection, this.client(), tier, olds.subscriptionTierSlug);
        return {
            inputs: estimate === undefined ? inputs : { ...inputs, estimatedMonthlyCostCents: estimate },
            failures: [],
        };
    }

    diff(_id: string, olds: RegistryOutputs, news: RegistryInputs): Promise<pulumi.dynamic.DiffResult> {
        const replaces = changedKeys(olds, news, REPLACE_KEYS);
        const updates = changedKeys(olds, news, ["subscriptionTierSlug"]);
        // The same name comes back elsewhere: clusters integrated with it lose it (the API drops a
        // deleted registry's integrations), and its ClusterRegistryIntegrations must add it again.
        if (replaces.length > 0 && news.name === olds.name) noteRecreatedRegistry(this.connection, olds.name);
        return Promise.resolve({
            changes: replaces.length + updates.length > 0,
            replaces,
            deleteBeforeReplace: replaces.length > 0,
        });
    }

    async create(inputs: RegistryInputs): Promise<pulumi.dynamic.CreateResult<RegistryOutputs>> {
        const result = await this.createOrAdopt(inputs);
        if (result.outs?.createdAt) noteCreatedRegistry(this.connection, result.id, result.outs.createdAt);
        return result;
    }

    private async createOrAdopt(inputs: RegistryInputs): Promise<pulumi.dynamic.CreateResult<RegistryOutputs>> {
        const client = this.client();
        if (inputs.adoptExisting) {
            const adopted = await adoptTeamRegistry(client, inputs);
            if (adopted) return adopted;
        }
        const urn = inputs[URN_INPUT];
        const intent = urn === undefined ? undefined : { urn, name: inputs.name, region: inputs.region };
        const recovered = intent && (await recoverInterruptedCreate(client, intent));
        if (recovered) {
            await pulumi.log.info(
                `registry "${inputs.name}": an interrupted pulumi up of this stack had created it; adopted it`,
            );
            return { id: recovered.name, outs: registryOutputs(recovered, inputs.subscriptionTierSlug) };
        }
        const journal = intent && journalCreate(client, intent, (m) => void pulumi.log.warn(m));
        try {
            const created = await client.createRegistry(
                plain({
                    name: inputs.name,
                    region: inputs.region,
                    subscription_tier_slug: inputs.subscriptionTierSlug,
                }),
            );
            journal?.settled();
            return { id: created.name, outs: registryOutputs(created, inputs.subscriptionTierSlug) };
        } catch (err) {
            if (!isOutcomeUnknown(err)) journal?.settled();
            if (errorKind(err) === "conflict") {
                // The listing adoption looked at may be a few seconds old (shared-reads.ts); the
                // failed create forgot it, so this look lists again. A name the person running this
                // up confirmed (adoptCommand) is adopted as adoptExisting would.
                const adopted =
                    inputs.adoptExisting || adoptionConfirmed(inputs.name)
                        ? await adoptTeamRegistry(client, inputs)
                        : undefined;
                if (adopted) return adopted;
                throw await conflictError(client, inputs.name);
            }
            if (!isOutcomeUnknown(err)) throw err;
            const adopted = await adoptAfterLostResponse(client, inputs, err, journal);
            journal?.settled();
            await pulumi.log.info(
                `registry "${inputs.name}": the create response was lost; found the registry it created and adopted it`,
            );
            return { id: adopted.name, outs: registryOutputs(adopted, inputs.subscriptionTierSlug) };
        }
    }

    async read(id: string, props?: RegistryOutputs): Promise<pulumi.dynamic.ReadResult<RegistryOutputs>> {
        const registries = await this.client().listRegistries();
        const found = registries.find((r) => r.name === id);
        if (!found) return { id: "" };
        // The tier is the team's: only a stack that set it (or an import, which has no state yet)
        // tracks it, so refreshing a registry that leaves the tier alone never starts managing it.
        const managesTier = props?.name === undefined || props.subscriptionTierSlug !== undefined;
        const tier = managesTier ? (found.subscription?.tier?.slug ?? props?.subscriptionTierSlug) : undefined;
        const outs = registryOutputs(found, tier);
        const inputs = plain({ name: outs.name, region: outs.region, subscriptionTierSlug: tier });
        return readResult(id, outs, inputs);
    }

    async update(
        _id: string,
        olds: RegistryOutputs,
        news: RegistryInputs,
    ): Promise<pulumi.dynamic.UpdateResult<RegistryOutputs>> {
        const { estimatedMonthlyCostCents: _estimate, ...args } = news;
        if (news.subscriptionTierSlug === undefined || news.subscriptionTierSlug === olds.subscriptionTierSlug) {
            return { outs: { ...olds, ...plain(args) } };
        }
        const subscription = await this.client().updateSubscription(news.subscriptionTierSlug);
        return { outs: { ...olds, subscriptionTierSlug: subscription.tier?.slug ?? news.subscriptionTierSlug } };
    }

    async delete(id: string): Promise<void> {
        try {
            await this.client().deleteRegistry(id);
        } catch (err) {
            if (errorKind(err) !== "not_found") throw err;
        }
    }
}

/** `adoptExisting`: the team's registry of that name, checked against the region asked for. */
async function adoptTeamRegistry(
    client: DocrClient,
    inputs: RegistryInputs,
): Promise<pulumi.dynamic.CreateResult<RegistryOutputs> | undefined> {
    const existing = (await client.listRegistries()).find((r) => r.name === inputs.name);
    if (!existing) return undefined;
    if (inputs.region !== undefined && existing.region !== undefined && existing.region !== inputs.region) {
        throw new Error(
            `registry "${inputs.name}" of this team is in region "${existing.region}", not "${inputs.region}": ` +
                `set region: "${existing.region}" to adopt it (a registry cannot move regions)`,
        );
    }
    let tier: string | undefined = inputs.subscriptionTierSlug;
    if (tier !== undefined && existing.subscription?.tier?.slug !== tier) {
        tier = (await client.updateSubscription(tier)).tier?.slug ?? tier;
    }
    await pulumi.log.info(`registry "${inputs.name}": adopted the team's existing registry (adoptExisting)`);
    return { id: existing.name, outs: { ...registryOutputs(existing, tier), adoptExisting: true } };
}

/** A 409 on create: the name is the team's own (say how to adopt it) or someone else's. */
async function conflictError(client: DocrClient, name: string): Promise<Error> {
    const ours = await client.listRegistries().then(
        (all) => all.some((r) => r.name === name),
        () => false,
    );
    return new Error(
        ours
            ? `registry "${name}" already exists in this team: ${waysForward(name)}`
            : `registry "${name}" already exists and is not this team's (registry names are global across DigitalOcean): choose another name`,
    );
}

/**
 * After a create whose outcome is unknown, the registry may exist. It is adopted only if this
 * attempt can have made it: created no earlier than the request went out (by the server's clock)
 * and in the region asked for. Anything else, another stack's registry of the same name above
 * all, is left alone, and the create fails with its own error.
 */
async function adoptAfterLostResponse(
    client: DocrClient,
    inputs: RegistryInputs,
    createError: DocrError,
    journal: JournaledCreate | undefined,
): Promise<ApiRegistry> {
    let found: ApiRegistry;
    try {
        found = await client.getRegistry(inputs.name);
    } catch (lookupError) {
        if (errorKind(lookupError) === "not_found") throw mayStillExist(createError, inputs.name, journal);
        throw new Error(
            `${createError.message}; whether registry "${inputs.name}" was created could not be checked ` +
                `(${messageOf(lookupError)}): look before retrying`,
            { cause: lookupError },
        );
    }
    const sameRegion = inputs.region === undefined || found.region === inputs.region;
    if (sameRegion && createdByAttempt(client, createError, found.created_at)) return found;
    const why = !sameRegion
        ? `it is in region "${found.region ?? "unknown"}", not "${inputs.region}"`
        : `it was created at ${found.created_at ?? "an unknown time"}, before this create was sent (by the API's clock)`;
    throw new Error(
        `${createError.message}; a registry "${inputs.name}" exists, but not from this create (${why}), ` +
            `so it was not adopted: it may be another stack's`,
    );
}

/** The outputs of a {@link Registry}, as properties (described in {@link RegistryOutputs}). */
export interface Registry extends OutputProperties<RegistryOutputs> {}

/**
 * A create with no answer, and no registry yet: the API may still carry it out (a request that
 * timed out on this side can still be processed). The next `pulumi up` finds it through the
 * journal; without one (it could not be written, or the next run is elsewhere) the 409 it then
 * meets names the command to adopt it.
 */
function mayStillExist(createError: DocrError, name: string, journal: JournaledCreate | undefined): Error {
    const next = journal?.recorded
        ? `run \`pulumi up\` again: it adopts the registry if this create made it`
        : `if a registry "${name}" appears, adopt it with: \`${adoptCommand(name)}\``;
    return new Error(
        `${createError.message}; registry "${name}" does not exist yet, but the API may still create it from this request: ${next}`,
        { cause: createError },
    );
}

/**
 * A DigitalOcean container registry.
 *
 * ```ts
 * import { Registry } from "pulumi-docr";
 *
 * const registry = new Registry("app", { name: "acme-dev", region: "nyc3", subscriptionTierSlug: "basic" });
 * export const server = registry.serverUrl; // registry.digitalocean.com/acme-dev
 * ```
 *
 * Changing `name` or `region` replaces the registry (the old one is deleted first: names are
 * global); changing `subscriptionTierSlug` changes the team's tier in place.
 */
export class Registry extends DocrResource {
    constructor(name: string, args: RegistryArgs, opts?: pulumi.CustomResourceOptions) {
        super("Registry", name, { ...REGISTRY_OUTPUTS, ...args, ...urnInput("Registry", name, opts) }, opts);
    }
}
