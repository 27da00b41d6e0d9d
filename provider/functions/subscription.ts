import * as pulumi from "@pulumi/pulumi";
import type { SubscriptionOutputs } from "../shared/subscription";
import { withEstimate } from "../shared/estimate";
import type { Connection } from "../client/connection";
import { callWithConfigHint } from "../shared/stack-config";
import { clientForInvoke, reportedInProgram } from "./invoke";

/** The result of {@link getSubscription}: the same fields as the `Subscription` resource's outputs. */
export type GetSubscriptionResult = SubscriptionOutputs;

/**
 * The team's registry plan and what it includes, with `estimatedMonthlyCostCents`: the plan's price
 * plus storage overage at the team's current storage (two requests: the subscription and the registries).
 *
 * ```ts
 * const plan = await getSubscription();
 * console.log(`${plan.tierName}: ${plan.includedRepositories} repositories, $${plan.estimatedMonthlyCostCents! / 100}/month`);
 * ```
 */
export async function getSubscription(connection?: Connection): Promise<GetSubscriptionResult> {
    return reportedInProgram(async () => {
        const client = clientForInvoke(connection);
        return callWithConfigHint(async () => withEstimate(client, await client.getSubscription()));
    });
}

/**
 * {@link getSubscription} as an `Output`.
 *
 * ```ts
 * export const tier = getSubscriptionOutput().tierSlug;
 * ```
 */
export function getSubscriptionOutput(connection?: Connection): pulumi.Output<GetSubscriptionResult> {
    return pulumi.output(getSubscription(connection));
}
