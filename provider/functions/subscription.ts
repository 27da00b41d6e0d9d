import * as pulumi from "@pulumi/pulumi";
import { type SubscriptionOutputs, subscriptionOutputs } from "../shared/subscription";
import type { Connection } from "../client/connection";
import { callWithConfigHint } from "../shared/stack-config";
import { clientForInvoke } from "./invoke";

/** The result of {@link getSubscription}: the same fields as the `Subscription` resource's outputs. */
export type GetSubscriptionResult = SubscriptionOutputs;

/**
 * The team's registry plan and what it includes.
 *
 * ```ts
 * const plan = await getSubscription();
 * console.log(`${plan.tierName}: ${plan.includedRepositories} repositories, $${plan.monthlyPriceInCents! / 100}/month`);
 * ```
 */
export async function getSubscription(connection?: Connection): Promise<GetSubscriptionResult> {
    const client = clientForInvoke(connection);
    return subscriptionOutputs(await callWithConfigHint(() => client.getSubscription()));
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
