/** Cost at `check`: the lines a plan change shows at preview, and the estimate the checked inputs carry. */
import * as pulumi from "@pulumi/pulumi";
import { messageOf } from "../../client/errors";
import type { DocrClient } from "../../client";
import type { Connection } from "../../client/connection";
import { monthlyCost } from "../../shared/cost";
import { runOptions } from "../remote-checks";
import { offeredTier, planChangeLines } from "./plan-change";
import { teamPlan } from "./team";

/** Lines already shown by this host process (one `pulumi` command): a Subscription and a Registry setting the same tier say it once. */
const shown = new Set<string>();

function info(line: string): void {
    if (shown.has(line)) return;
    shown.add(line);
    void pulumi.log.info(line);
}

/**
 * The team's monthly cost on `tierSlug` at its current storage (the estimate the checked inputs
 * carry, for the budget policy), logging the plan change when this resource makes one: its last
 * tier (`previousSlug`, from state) differs, or it has none and the team is on another tier.
 * Costs the run's options (already asked for by the tier check) and the team's listing (shared).
 * A failed look-up only loses the estimate: the check itself has passed.
 */
export async function planCostAtCheck(
    connection: Connection | undefined,
    client: DocrClient,
    tierSlug: string,
    previousSlug: string | undefined,
): Promise<number | undefined> {
    try {
        const options = await runOptions(connection, client);
        const team = await teamPlan(client);
        if (previousSlug !== tierSlug && team.currentTierSlug !== tierSlug) {
            for (const line of planChangeLines(options, team.currentTierSlug, tierSlug, team.usageBytes)) info(line);
        }
        return monthlyCost(offeredTier(options, tierSlug), team.usageBytes).totalCents;
    } catch (err) {
        void pulumi.log.warn(`registry plan: no cost estimate for "${tierSlug}": ${messageOf(err)}`);
        return undefined;
    }
}
