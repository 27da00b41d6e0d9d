/** Schemas of the subscription and the registry options (tiers, regions). */
import { z } from "zod";
import type { SubscriptionTier, Subscription, RegistryOptions } from "../types";
import { opt } from "./common";

/** A subscription tier; `eligible`/`eligibility_reasons` appear in the options response only. */
export const subscriptionTierSchema = z.object({
    slug: z.string().min(1),
    name: opt(z.string()),
    included_repositories: opt(z.number()),
    included_storage_bytes: opt(z.number()),
    allow_storage_overage: opt(z.boolean()),
    included_bandwidth_bytes: opt(z.number()),
    monthly_price_in_cents: opt(z.number()),
    storage_overage_price_in_cents: opt(z.number()),
    eligible: opt(z.boolean()),
    eligibility_reasons: opt(z.array(z.string())),
}) satisfies z.ZodType<SubscriptionTier>;

/** The account's subscription. */
export const subscriptionSchema = z.object({
    tier: subscriptionTierSchema,
    created_at: opt(z.string()),
    updated_at: opt(z.string()),
}) satisfies z.ZodType<Subscription>;

/** `{ subscription }`: get and update. */
export const subscriptionEnvelopeSchema = z.object({ subscription: subscriptionSchema });

/** What may be chosen when creating a registry or changing tier. */
export const registryOptionsSchema = z.object({
    available_regions: z.array(z.string()),
    subscription_tiers: z.array(subscriptionTierSchema),
}) satisfies z.ZodType<RegistryOptions>;

/** `{ options }`. */
export const optionsEnvelopeSchema = z.object({ options: registryOptionsSchema });
