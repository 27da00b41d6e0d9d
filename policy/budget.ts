/**
 * docr-monthly-budget: the registry plan the stack sets, plus storage overage at the team's current
 * storage, at most maxMonthlyUsd. The provider's `check` computes that estimate from the API's own
 * prices (provider/shared/cost.ts) and carries it in the checked inputs the policy sees.
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { formatUsd } from "../provider/shared/cost";
import { named, TYPES } from "./types";

export function monthlyBudget(level: EnforcementLevel, maxMonthlyUsd: number | undefined): ResourceValidationPolicy {
    return {
        name: "docr-monthly-budget",
        description: "The stack's registry plan plus storage overage at most maxMonthlyUsd a month.",
        enforcementLevel: level,
        configSchema: {
            properties: {
                maxMonthlyUsd: {
                    type: "number",
                    minimum: 0,
                    ...(maxMonthlyUsd === undefined ? {} : { default: maxMonthlyUsd }),
                },
            },
        },
        validateResource: (args, reportViolation) => {
            const tier: unknown =
                args.type === TYPES.Subscription
                    ? args.props.tierSlug
                    : args.type === TYPES.Registry
                      ? args.props.subscriptionTierSlug
                      : undefined;
            if (typeof tier !== "string") return; // sets no plan (a Registry that leaves the tier alone)
            const max = args.getConfig<{ maxMonthlyUsd?: number }>().maxMonthlyUsd;
            if (max === undefined) return;
            const limit = `the budget is ${formatUsd(max * 100)} a month (maxMonthlyUsd)`;
            const estimate: unknown = args.props.estimatedMonthlyCostCents;
            if (typeof estimate !== "number") {
                reportViolation(
                    `${named(args.type, args.name)}: plan "${tier}" has no monthly cost estimate (the API gave no price for it, ` +
                        `or the provider could not ask: see the preview's "registry plan" lines); ${limit}`,
                );
            } else if (estimate > max * 100) {
                reportViolation(
                    `${named(args.type, args.name)}: plan "${tier}" costs an estimated ${formatUsd(estimate)} a month ` +
                        `(plan plus storage overage at the team's current storage); ${limit}`,
                );
            }
        },
    };
}
