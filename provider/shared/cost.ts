/**
 * What a registry plan costs a month, from the API's own prices (a tier's `monthly_price_in_cents`,
 * `included_storage_bytes` and `storage_overage_price_in_cents`): the provider's preview lines, the
 * `estimatedMonthlyCostCents` outputs and the budget policy all compute it here. No price is ever
 * assumed: what the API does not give is named in `missing`, and the totals are then left out.
 */
import type { Registry, SubscriptionTier } from "../client/types";

/** Overage is priced per GiB-month. */
export const GIB = 1024 ** 3;

/** A tier's monthly cost at a storage usage. */
export interface MonthlyCost {
    tierSlug: string;
    /** The tier's flat monthly price, in cents. */
    planCents?: number;
    /** Storage beyond what the tier includes (0 when the tier allows no overage: the API stops pushes instead). */
    overageBytes: number;
    /** What that storage costs a month, in cents (fractional: rounded only in the total). */
    overageCents?: number;
    /** Plan plus overage, rounded to whole cents; absent when a price is missing. */
    totalCents?: number;
    /** The prices the API did not give, as phrases (`"no monthly price"`). */
    missing: string[];
}

/** The cost of `tier` for a team storing `usageBytes`. */
export function monthlyCost(tier: SubscriptionTier, usageBytes: number): MonthlyCost {
    const missing: string[] = [];
    const planCents = tier.monthly_price_in_cents;
    if (planCents === undefined) missing.push("no monthly price");
    let overageBytes = 0;
    let overageCents: number | undefined = 0;
    if (tier.allow_storage_overage !== false && usageBytes > 0) {
        if (tier.included_storage_bytes === undefined) {
            missing.push("no included storage");
            overageCents = undefined;
        } else {
            overageBytes = Math.max(0, usageBytes - tier.included_storage_bytes);
            const price = tier.storage_overage_price_in_cents;
            if (overageBytes > 0 && price === undefined) {
                missing.push("no storage overage price");
                overageCents = undefined;
            } else if (overageBytes > 0 && price !== undefined) {
                overageCents = (overageBytes / GIB) * price;
            }
        }
    }
    const cost: MonthlyCost = { tierSlug: tier.slug, overageBytes, missing };
    if (planCents !== undefined) cost.planCents = planCents;
    if (overageCents !== undefined) cost.overageCents = overageCents;
    if (planCents !== undefined && overageCents !== undefined) cost.totalCents = Math.round(planCents + overageCents);
    return cost;
}

/** Bytes stored across the team's registries, as the API last measured them: overage is the team's, not a registry's. */
export function teamStorageBytes(registries: readonly Registry[]): number {
    return registries.reduce((sum, r) => sum + (r.storage_usage_bytes ?? 0), 0);
}

/** `$5.00`, `-$15.00`, `$0.04`. */
export function formatUsd(cents: number): string {
    const rounded = Math.round(cents);
    const abs = Math.abs(rounded);
    return `${rounded < 0 ? "-" : ""}$${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** `+$15.00`, `-$15.00`, `+$0.00`. */
export function formatUsdChange(cents: number): string {
    return Math.round(cents) < 0 ? formatUsd(cents) : `+${formatUsd(cents)}`;
}

/** `7.5 GiB`, `0.49 GiB`, `5 GiB`: storage in the unit it is priced in. */
export function formatGiB(bytes: number): string {
    return `${Number((bytes / GIB).toFixed(2))} GiB`;
}
