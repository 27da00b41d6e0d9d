/** What a retention policy's deletions save a month once garbage-collected, where they reduce storage overage. */
import type { DocrClient } from "../../client";
import { messageOf } from "../../client/errors";
import type { Connection } from "../../client/connection";
import { formatGiB, formatUsd, monthlyCost } from "../../shared/cost";
import { runOptions } from "../remote-checks";
import { offeredTier } from "./plan-change";
import { teamPlan } from "./team";

/**
 * The preview line, or none when the plan frees nothing or the team stores no more than its tier
 * includes (deleting then saves nothing a month). Costs the run's options and the team's listing
 * (both shared with the other checks), and only when the plan frees bytes. Never throws: the plan
 * stands without its saving.
 */
export async function retentionSavingLine(
    connection: Connection | undefined,
    client: DocrClient,
    registryName: string,
    freedBytes: number,
): Promise<string | undefined> {
    if (freedBytes <= 0) return undefined;
    try {
        return await savingLine(connection, client, registryName, freedBytes);
    } catch (err) {
        return `retention: registry "${registryName}": no monthly saving computed (${messageOf(err)})`;
    }
}

async function savingLine(
    connection: Connection | undefined,
    client: DocrClient,
    registryName: string,
    freedBytes: number,
): Promise<string | undefined> {
    const team = await teamPlan(client);
    if (team.currentTierSlug === undefined) return undefined;
    const tier = offeredTier(await runOptions(connection, client), team.currentTierSlug);
    const now = monthlyCost(tier, team.usageBytes);
    if (now.overageBytes === 0 && now.overageCents !== undefined) return undefined;
    const prefix = `retention: registry "${registryName}": freeing ~${formatGiB(freedBytes)}`;
    const after = monthlyCost(tier, Math.max(0, team.usageBytes - freedBytes));
    if (now.overageCents === undefined || after.overageCents === undefined) {
        return `${prefix} reduces storage overage, but the API gives ${now.missing.join(", ")} for "${tier.slug}": no saving computed`;
    }
    return (
        `${prefix} once garbage-collected saves ${formatUsd(now.overageCents - after.overageCents)} a month in storage overage ` +
        `(team storage ${formatGiB(team.usageBytes)} → ${formatGiB(Math.max(0, team.usageBytes - freedBytes))}; ` +
        `${tier.slug} includes ${formatGiB(tier.included_storage_bytes ?? 0)}, ${formatUsd(tier.storage_overage_price_in_cents ?? 0)}/GiB beyond)`
    );
}
