/** `estimatedMonthlyCostCents` of a read subscription: its tier's own prices at the team's listed storage. */
import type { DocrClient } from "../client";
import type { Subscription } from "../client/types";
import { monthlyCost, teamStorageBytes } from "./cost";
import { subscriptionOutputs, type SubscriptionOutputs } from "./subscription";

/** The subscription's outputs with the estimate; one listing (shared with the process's other reads in a host). */
export async function withEstimate(client: DocrClient, subscription: Subscription): Promise<SubscriptionOutputs> {
    const outs = subscriptionOutputs(subscription);
    const total = monthlyCost(subscription.tier, teamStorageBytes(await client.listRegistries())).totalCents;
    return total === undefined ? outs : { ...outs, estimatedMonthlyCostCents: total };
}
