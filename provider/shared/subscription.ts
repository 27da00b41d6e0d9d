/** The subscription as the `Subscription` resource stores it and `getSubscription` returns it. */
import type { Subscription as ApiSubscription } from "../client/types";

/** The team's registry plan: the outputs of a `Subscription`, and the result of `getSubscription`. */
export interface SubscriptionOutputs {
    /** The tier the API reports (`starter`, `basic`, `professional`, or one this package does not know yet). */
    tierSlug: string;
    /** The tier's display name, e.g. `Basic`. */
    tierName?: string;
    /** Repositories the tier includes. */
    includedRepositories?: number;
    /** Storage the tier includes, in bytes. */
    includedStorageBytes?: number;
    /** Outbound data transfer the tier includes, in bytes. */
    includedBandwidthBytes?: number;
    /** The tier's monthly price, in US cents. */
    monthlyPriceInCents?: number;
    /** The price of storage beyond the included amount, in US cents per GiB. */
    storageOveragePriceInCents?: number;
    /**
     * The plan's price plus storage overage at the team's current storage, in US cents a month
     * (`provider/shared/cost.ts`); absent when the API gives no price for a part of it.
     */
    estimatedMonthlyCostCents?: number;
    /** When the subscription was created (ISO 8601). */
    createdAt?: string;
    /** When the subscription last changed (ISO 8601). */
    updatedAt?: string;
}

/** The subscription's fields, camel-cased; `fallbackSlug` stands in when the API names no tier. */
export function subscriptionOutputs(api: ApiSubscription, fallbackSlug?: string): SubscriptionOutputs {
    const tier = api.tier ?? undefined;
    const outs: SubscriptionOutputs = { tierSlug: tier?.slug ?? fallbackSlug ?? "" };
    if (tier?.name !== undefined) outs.tierName = tier.name;
    if (tier?.included_repositories !== undefined) outs.includedRepositories = tier.included_repositories;
    if (tier?.included_storage_bytes !== undefined) outs.includedStorageBytes = tier.included_storage_bytes;
    if (tier?.included_bandwidth_bytes !== undefined) outs.includedBandwidthBytes = tier.included_bandwidth_bytes;
    if (tier?.monthly_price_in_cents !== undefined) outs.monthlyPriceInCents = tier.monthly_price_in_cents;
    if (tier?.storage_overage_price_in_cents !== undefined)
        outs.storageOveragePriceInCents = tier.storage_overage_price_in_cents;
    if (api.created_at !== undefined) outs.createdAt = api.created_at;
    if (api.updated_at !== undefined) outs.updatedAt = api.updated_at;
    return outs;
}
