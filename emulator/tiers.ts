import type { TierSlug } from "./types";

/** A subscription tier as the API describes it (`subscription_tier_base`). */
export interface TierInfo {
    name: string;
    slug: TierSlug;
    /** 0 means unlimited, as the API documents. */
    included_repositories: number;
    included_storage_bytes: number;
    allow_storage_overage: boolean;
    included_bandwidth_bytes: number;
    monthly_price_in_cents: number;
    storage_overage_price_in_cents: number;
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** The three tiers, in the order the options endpoint lists them. */
export const TIERS: readonly TierInfo[] = [
    {
        name: "Starter",
        slug: "starter",
        included_repositories: 1,
        included_storage_bytes: 500 * MIB,
        allow_storage_overage: false,
        included_bandwidth_bytes: 500 * MIB,
        monthly_price_in_cents: 0,
        storage_overage_price_in_cents: 0,
    },
    {
        name: "Basic",
        slug: "basic",
        included_repositories: 5,
        included_storage_bytes: 5 * GIB,
        allow_storage_overage: true,
        included_bandwidth_bytes: 5 * GIB,
        monthly_price_in_cents: 500,
        storage_overage_price_in_cents: 2,
    },
    {
        name: "Professional",
        slug: "professional",
        included_repositories: 0,
        included_storage_bytes: 100 * GIB,
        allow_storage_overage: true,
        included_bandwidth_bytes: 100 * GIB,
        monthly_price_in_cents: 2000,
        storage_overage_price_in_cents: 2,
    },
];

/** Region slugs accepted on create (the OpenAPI `multiregistry_create.region` enum). */
export const REGIONS: readonly string[] = ["nyc3", "sfo2", "sfo3", "ams3", "sgp1", "fra1", "blr1", "syd1"];

/** Region used when a create request names none ("a region will be selected"). */
export const DEFAULT_REGION = "nyc3";

/** The API allows up to 10 registries per team, and more than one only on Professional. */
export const MAX_REGISTRIES = 10;

/** Registry name rule from the OpenAPI schema. */
export const REGISTRY_NAME_PATTERN = /^[a-z0-9-]{1,63}$/;

/** `expiry_seconds` is an i32 in the generated client (003 reference); nothing larger fits. */
export const MAX_EXPIRY_SECONDS = 2147483647;

/** Returns the tier with that slug, or undefined for anything else. */
export function findTier(slug: unknown): TierInfo | undefined {
    return TIERS.find((t) => t.slug === slug);
}

/** Why an account cannot use a tier; `OverRegistryLimit` is never reported by options (not in its enum). */
export type IneligibilityReason = "OverRepositoryLimit" | "OverStorageLimit" | "OverRegistryLimit";

/** Account usage that decides tier eligibility. Repositories and storage are shared across registries. */
export interface Usage {
    registries: number;
    repositories: number;
    storageBytes: number;
}

/** Reasons the account may not switch to `tier` (empty: eligible). */
export function ineligibility(tier: TierInfo, usage: Usage): IneligibilityReason[] {
    const reasons: IneligibilityReason[] = [];
    if (tier.included_repositories > 0 && usage.repositories > tier.included_repositories) {
        reasons.push("OverRepositoryLimit");
    }
    // Tiers that bill overage accept any usage; only a hard cap makes the account ineligible.
    if (!tier.allow_storage_overage && usage.storageBytes > tier.included_storage_bytes) {
        reasons.push("OverStorageLimit");
    }
    if (tier.slug !== "professional" && usage.registries > 1) reasons.push("OverRegistryLimit");
    return reasons;
}
