import * as pulumi from "@pulumi/pulumi";
import type { Connection } from "../client/connection";
import { callWithConfigHint } from "../shared/stack-config";
import { clientForInvoke, reportedInProgram } from "./invoke";

/** A subscription tier as offered to this team (0, false or empty where the API did not say). */
export interface SubscriptionTierInfo {
    /** The tier's slug: `starter`, `basic`, `professional`. */
    slug: string;
    /** The tier's display name. */
    name: string;
    /** Repositories the tier includes. */
    includedRepositories: number;
    /** Storage the tier includes, in bytes. */
    includedStorageBytes: number;
    /** Outbound data transfer the tier includes, in bytes. */
    includedBandwidthBytes: number;
    /** Whether storage beyond the included amount is allowed (and billed). */
    allowStorageOverage: boolean;
    /** The tier's monthly price, in US cents. */
    monthlyPriceInCents: number;
    /** The price of storage beyond the included amount, in US cents per GiB. */
    storageOveragePriceInCents: number;
    /** Whether the team may switch to this tier now. */
    eligible: boolean;
    /** Why not, when not eligible: `OverRepositoryLimit`, `OverStorageLimit`. */
    eligibilityReasons: string[];
}

/** The result of {@link getRegistryOptions}. */
export interface GetRegistryOptionsResult {
    /** Region slugs where registries may be created. */
    availableRegions: string[];
    /** The tiers, with the team's eligibility for each. */
    subscriptionTiers: SubscriptionTierInfo[];
}

/**
 * The regions and tiers the team may choose, with eligibility for each tier.
 *
 * ```ts
 * const options = await getRegistryOptions();
 * const basic = options.subscriptionTiers.find((t) => t.slug === "basic");
 * if (!basic?.eligible) throw new Error(`basic: ${basic?.eligibilityReasons.join(", ")}`);
 * ```
 */
export async function getRegistryOptions(connection?: Connection): Promise<GetRegistryOptionsResult> {
    return reportedInProgram(async () => {
        const client = clientForInvoke(connection);
        const options = await callWithConfigHint(() => client.getOptions());
        return {
            availableRegions: [...options.available_regions],
            subscriptionTiers: options.subscription_tiers.map((t) => ({
                slug: t.slug ?? "",
                name: t.name ?? "",
                includedRepositories: t.included_repositories ?? 0,
                includedStorageBytes: t.included_storage_bytes ?? 0,
                includedBandwidthBytes: t.included_bandwidth_bytes ?? 0,
                allowStorageOverage: t.allow_storage_overage ?? false,
                monthlyPriceInCents: t.monthly_price_in_cents ?? 0,
                storageOveragePriceInCents: t.storage_overage_price_in_cents ?? 0,
                eligible: t.eligible ?? true,
                eligibilityReasons: [...(t.eligibility_reasons ?? [])],
            })),
        };
    });
}

/**
 * {@link getRegistryOptions} as an `Output`.
 *
 * ```ts
 * export const regions = getRegistryOptionsOutput().availableRegions;
 * ```
 */
export function getRegistryOptionsOutput(connection?: Connection): pulumi.Output<GetRegistryOptionsResult> {
    return pulumi.output(getRegistryOptions(connection));
}
