/** The preview lines of a change of the team's plan: price before and after, and overage at the current storage. */
import type { RegistryOptions, SubscriptionTier } from "../../client/types";
import { formatGiB, formatUsd, formatUsdChange, monthlyCost, type MonthlyCost } from "../../shared/cost";

/** The tier as the options list it, or a tier of that slug without prices (the API gives none for it). */
export function offeredTier(options: RegistryOptions, slug: string): SubscriptionTier {
    return options.subscription_tiers.find((t) => t.slug === slug) ?? { slug };
}

function planText(cost: MonthlyCost | undefined): string {
    if (!cost) return "no plan";
    return cost.planCents === undefined
        ? `${cost.tierSlug} (the API gives no monthly price)`
        : `${cost.tierSlug} ${formatUsd(cost.planCents)}`;
}

function change(before: number | undefined, after: number | undefined): string {
    return before === undefined || after === undefined ? "difference unknown" : formatUsdChange(after - before);
}

function storageText(cost: MonthlyCost, tier: SubscriptionTier): string {
    if (cost.totalCents === undefined) return `${cost.tierSlug} (the API gives ${cost.missing.join(", ")})`;
    const included =
        tier.included_storage_bytes === undefined ? "" : `${formatGiB(tier.included_storage_bytes)} included`;
    const over =
        cost.overageBytes > 0
            ? `, ${formatGiB(cost.overageBytes)} over at ${formatUsd(tier.storage_overage_price_in_cents ?? 0)}/GiB: ${formatUsd(cost.overageCents ?? 0)}`
            : "";
    return `${cost.tierSlug} ${formatUsd(cost.totalCents)}${included || over ? ` (${included}${over})` : ""}`;
}

/**
 * `registry plan: basic $5.00 → professional $20.00 a month (+$15.00)`, and, when storage beyond a
 * tier's included amount is billed on either side (or cannot be priced), a second line with the
 * totals at the team's current storage.
 */
export function planChangeLines(
    options: RegistryOptions,
    fromSlug: string | undefined,
    toSlug: string,
    usageBytes: number,
): string[] {
    const fromTier = fromSlug === undefined ? undefined : offeredTier(options, fromSlug);
    const toTier = offeredTier(options, toSlug);
    const before = fromTier && monthlyCost(fromTier, usageBytes);
    const after = monthlyCost(toTier, usageBytes);
    const lines = [
        `registry plan: ${planText(before)} → ${planText(after)} a month (${change(before ? before.planCents : 0, after.planCents)})`,
    ];
    const storageMatters = [before, after].some((c) => c && (c.overageBytes > 0 || c.overageCents === undefined));
    if (storageMatters) {
        const from = before && fromTier ? storageText(before, fromTier) : "no plan";
        lines.push(
            `registry plan: at the team's current storage of ${formatGiB(usageBytes)}: ${from} → ${storageText(after, toTier)} ` +
                `a month in all (${change(before ? before.totalCents : 0, after.totalCents)})`,
        );
    }
    return lines;
}
