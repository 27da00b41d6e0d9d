import type * as pulumi from "@pulumi/pulumi";
import type { DocrClient } from "../client";
import type { Connection } from "../client/connection";
import { teamInventory } from "./cluster-pairs";
import { isPlannedRegistry, listed, orFailure } from "./remote-checks";

/** An element of a list input, with its position (failures name `clusterIds.1`). */
export interface Listed {
    index: number;
    value: string;
}

/**
 * With a token: each cluster and registry named exists in the team (a registry that a `Registry`
 * of this run is about to create counts). Without one, the check fails, as a Registry's does.
 */
export function remoteIntegrationChecks(
    connection: Connection | undefined,
    client: () => DocrClient,
    questions: { clusterIds: Listed[]; registryNames: Listed[] },
): Promise<pulumi.dynamic.CheckFailure[]> {
    return orFailure(async () => {
        const api = client(); // made first: throws without a token
        if (questions.clusterIds.length === 0 && questions.registryNames.length === 0) return [];
        const team = await teamInventory(api);
        const failures: pulumi.dynamic.CheckFailure[] = [];
        const clusters = [...team.clusters].map(([id, c]) => `${c.name} (${id})`);
        const registries = [...team.registries.keys()];
        for (const { index, value } of questions.clusterIds) {
            if (team.clusters.has(value)) continue;
            const property = `clusterIds.${index}`;
            failures.push({
                property,
                reason: `${property}: cluster "${value}" does not exist in this team (its clusters: ${clusters.length > 0 ? listed(clusters) : "none"})`,
            });
        }
        for (const { index, value } of questions.registryNames) {
            if (team.registries.has(value) || isPlannedRegistry(connection, value)) continue;
            const property = `registryNames.${index}`;
            failures.push({
                property,
                reason:
                    `${property}: registry "${value}" is not one of this team's registries ` +
                    `(${registries.length > 0 ? listed(registries) : "it has none"}): create it with a Registry in this program, or name one of them`,
            });
        }
        return failures;
    });
}
