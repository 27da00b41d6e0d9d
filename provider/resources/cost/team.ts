/** What the team stores and which plan it is on, as the cost lines and the tier checks need them. */
import type { DocrClient, Registry } from "../../client";
import { unlessError } from "../../client/errors";
import { teamStorageBytes } from "../../shared/cost";

export interface TeamPlan {
    /** Bytes stored across the team's registries (overage is the team's, not a registry's). */
    usageBytes: number;
    /** The tier the team is on; absent when it has no plan yet. */
    currentTierSlug?: string;
}

/** The team's tier as the registries listing carries it (each listed registry has the team's subscription). */
export function listedTierSlug(registries: readonly Registry[]): string | undefined {
    return registries.find((r) => r.subscription?.tier?.slug)?.subscription?.tier?.slug;
}

/**
 * One listing (shared with the other checks of the process: shared-reads.ts) gives both: the list
 * response carries the team's subscription. Only a team without registries costs a second request.
 */
export async function teamPlan(client: DocrClient): Promise<TeamPlan> {
    const registries = await client.listRegistries();
    const usageBytes = teamStorageBytes(registries);
    const listed = listedTierSlug(registries);
    if (listed !== undefined) return { usageBytes, currentTierSlug: listed };
    const subscription = await unlessError("not_found", undefined, () => client.getSubscription());
    const slug = subscription?.tier?.slug;
    return slug ? { usageBytes, currentTierSlug: slug } : { usageBytes };
}
