import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { unlessError } from "../client/errors";
import { type SubscriptionOutputs, subscriptionOutputs } from "../shared/subscription";
import { ConfiguredProvider, changedKeys } from "./common";
import { tierSlugField } from "../shared/fields";
import { remoteTierCheck } from "./remote-checks";
import { planCostAtCheck } from "./cost/check";
import { withEstimate } from "../shared/estimate";
import { DocrResource } from "./resource";
import { validateInputs } from "./validate";
import type { OutputPlaceholders, OutputProperties } from "./outputs";

/** The arguments of a {@link Subscription}. */
export interface SubscriptionArgs {
    /** The team's registry plan: `starter`, `basic` or `professional`. Changes in place. */
    tierSlug: pulumi.Input<string>;
}

/** The checked inputs of a {@link Subscription}. */
export interface SubscriptionInputs {
    tierSlug: "starter" | "basic" | "professional";
    /** Added by `check` (not an argument): the plan's monthly cost at the team's storage, for policies. */
    estimatedMonthlyCostCents?: number;
}

const subscriptionInputsSchema = z.strictObject({ tierSlug: tierSlugField() }) satisfies z.ZodType<SubscriptionInputs>;

export type { SubscriptionOutputs } from "../shared/subscription";

/** There is one subscription per team; its id in state says so. */
export const SUBSCRIPTION_ID = "registry-subscription";

/** The CRUD implementation of {@link Subscription}. */
export class SubscriptionProvider extends ConfiguredProvider<SubscriptionInputs, SubscriptionOutputs> {
    async check(
        olds: SubscriptionInputs,
        news: SubscriptionInputs,
    ): Promise<pulumi.dynamic.CheckResult<SubscriptionInputs>> {
        const { estimatedMonthlyCostCents: _estimate, ...userNews } = news;
        const { inputs, failures, parsed } = validateInputs(subscriptionInputsSchema, userNews);
        if (failures.length > 0 || parsed?.tierSlug === undefined) return { inputs, failures };
        const remote = await remoteTierCheck(this.connection, () => this.client(), parsed.tierSlug, "tierSlug");
        if (remote.length > 0) return { inputs, failures: remote };
        const estimate = await planCostAtCheck(this.connection, this.client(), parsed.tierSlug, olds.tierSlug);
        return {
            inputs: estimate === undefined ? inputs : { ...inputs, estimatedMonthlyCostCents: estimate },
            failures: [],
        };
    }

    diff(_id: string, olds: SubscriptionOutputs, news: SubscriptionInputs): Promise<pulumi.dynamic.DiffResult> {
        const changed = changedKeys(olds, news, ["tierSlug"]);
        return Promise.resolve({ changes: changed.length > 0, replaces: [], deleteBeforeReplace: false });
    }

    /** Adopts the team's subscription: setting the tier is idempotent, so one call serves both cases. */
    async create(inputs: SubscriptionInputs): Promise<pulumi.dynamic.CreateResult<SubscriptionOutputs>> {
        const subscription = await this.client().updateSubscription(inputs.tierSlug);
        return {
            id: SUBSCRIPTION_ID,
            outs: withCheckedEstimate(subscriptionOutputs(subscription, inputs.tierSlug), inputs),
        };
    }

    async read(id: string): Promise<pulumi.dynamic.ReadResult<SubscriptionOutputs>> {
        const subscription = await unlessError("not_found", undefined, () => this.client().getSubscription());
        if (!subscription?.tier?.slug) return { id: "" };
        const outs = await withEstimate(this.client(), subscription);
        return { id, props: outs, inputs: { tierSlug: outs.tierSlug } };
    }

    async update(
        _id: string,
        _olds: SubscriptionOutputs,
        news: SubscriptionInputs,
    ): Promise<pulumi.dynamic.UpdateResult<SubscriptionOutputs>> {
        const subscription = await this.client().updateSubscription(news.tierSlug);
        return { outs: withCheckedEstimate(subscriptionOutputs(subscription, news.tierSlug), news) };
    }

    /** The API cannot delete a subscription: the team keeps its plan, and this stack stops managing it. */
    async delete(): Promise<void> {
        await pulumi.log.info(
            "Subscription: the team's registry plan is left as it is; this stack no longer manages it (the API has no delete)",
        );
    }
}

const SUBSCRIPTION_OUTPUTS = {
    tierSlug: undefined,
    tierName: undefined,
    includedRepositories: undefined,
    includedStorageBytes: undefined,
    includedBandwidthBytes: undefined,
    monthlyPriceInCents: undefined,
    storageOveragePriceInCents: undefined,
    estimatedMonthlyCostCents: undefined,
    createdAt: undefined,
    updatedAt: undefined,
} satisfies OutputPlaceholders<SubscriptionOutputs>;

/** The outputs of a {@link Subscription}, as properties (described in {@link SubscriptionOutputs}). */
export interface Subscription extends OutputProperties<SubscriptionOutputs> {}

/**
 * The estimate `check` made for this tier a moment ago (same prices, same storage): a create or an
 * update costs its one request, no listing.
 */
function withCheckedEstimate(outs: SubscriptionOutputs, inputs: SubscriptionInputs): SubscriptionOutputs {
    const estimate = inputs.estimatedMonthlyCostCents;
    return typeof estimate === "number" && outs.tierSlug === inputs.tierSlug
        ? { ...outs, estimatedMonthlyCostCents: estimate }
        : outs;
}

/**
 * The team's container registry plan. There is one per team: creating this resource adopts it
 * and sets the tier; deleting it leaves the plan as it is.
 *
 * ```ts
 * import { Subscription } from "pulumi-docr";
 *
 * const plan = new Subscription("plan", { tierSlug: "basic" });
 * export const monthlyCents = plan.estimatedMonthlyCostCents;
 * ```
 */
export class Subscription extends DocrResource {
    constructor(name: string, args: SubscriptionArgs, opts?: pulumi.CustomResourceOptions) {
        super("Subscription", name, { ...SUBSCRIPTION_OUTPUTS, ...args }, opts);
    }
}
