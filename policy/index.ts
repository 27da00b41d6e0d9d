/**
 * `pulumi-docr/policy`: policies for @pulumi/policy (an optional peer dependency: only a policy
 * pack needs it, and only a policy pack loads this module).
 *
 * ```ts
 * import { PolicyPack } from "@pulumi/policy";
 * import { docrPolicies } from "pulumi-docr/policy";
 *
 * new PolicyPack("docr", { policies: docrPolicies() });
 * ```
 *
 * Each policy is configured with `pulumi preview --policy-pack DIR --policy-pack-config FILE`; the
 * options here are the defaults that file overrides. docs/cost-and-policy.md has them all.
 */
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { monthlyBudget } from "./budget";
import { credentialsExpire, DEFAULT_MAX_PUSH_EXPIRY_SECONDS, pullCredentialsExpire } from "./credentials";
import { allowedRegions } from "./regions";
import { retentionRequired } from "./retention";

export { TYPES as DOCR_TYPES } from "./types";

/** The policies' names. */
export type DocrPolicyName =
    | "docr-credentials-expire"
    | "docr-pull-credentials-expire"
    | "docr-allowed-regions"
    | "docr-monthly-budget"
    | "docr-retention-required";

/** Defaults for {@link docrPolicies}; a `--policy-pack-config` file overrides any of them. */
export interface DocrPolicyOptions {
    /** Longest lifetime of push (readWrite) credentials, in seconds. Default: 86400 (one day). */
    maxPushExpirySeconds?: number;
    /** Regions registries may be in. Default: none configured (any region). */
    regions?: string[];
    /** Most the stack's registry plan plus storage overage may cost a month, in US dollars. Default: none. */
    maxMonthlyUsd?: number;
    /** Enforcement level per policy, instead of its own (mandatory, or advisory for pull credentials and retention). */
    enforcementLevels?: Partial<Record<DocrPolicyName, EnforcementLevel>>;
}

const LEVELS: Record<DocrPolicyName, EnforcementLevel> = {
    "docr-credentials-expire": "mandatory",
    "docr-pull-credentials-expire": "advisory",
    "docr-allowed-regions": "mandatory",
    "docr-monthly-budget": "mandatory",
    "docr-retention-required": "advisory",
};

/** The DigitalOcean Container Registry policies, for `new PolicyPack(name, { policies: docrPolicies() })`. */
export function docrPolicies(options: DocrPolicyOptions = {}): Policies {
    const level = (name: DocrPolicyName): EnforcementLevel => options.enforcementLevels?.[name] ?? LEVELS[name];
    return [
        credentialsExpire(
            level("docr-credentials-expire"),
            options.maxPushExpirySeconds ?? DEFAULT_MAX_PUSH_EXPIRY_SECONDS,
        ),
        pullCredentialsExpire(level("docr-pull-credentials-expire")),
        allowedRegions(level("docr-allowed-regions"), options.regions),
        monthlyBudget(level("docr-monthly-budget"), options.maxMonthlyUsd),
        retentionRequired(level("docr-retention-required")),
    ];
}
