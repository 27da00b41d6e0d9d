/**
 * What the team has, as `pulumi import --file` entries (inputs with the `__provider`, and outputs,
 * so the engine skips the Read that dynamic providers cannot serve: pulumi/pulumi#16175) and as
 * the declarations the program needs. Reads only: one registry listing, one cluster listing with
 * `--cluster`, nothing more (the listing carries the tier).
 */
import { randomUUID } from "node:crypto";
import type { DocrClient, Registry as ApiRegistry } from "../provider/client";
import { collect } from "../provider/client/pagination";
import type { ProviderKind } from "../provider/resources/implementations";
import { resourceType } from "../provider/resources/kind";
import { registryOutputs } from "../provider/resources/registry";
import { SUBSCRIPTION_ID } from "../provider/resources/subscription";
import { subscriptionOutputs } from "../provider/shared/subscription";
import { listedTierSlug } from "../provider/resources/cost/team";
import type { ImportRequest } from "./args";
import { UsageError } from "./args";

/** One resource of the import file. */
export interface ImportEntry {
    type: string;
    name: string;
    id: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
}

/** A declaration the program needs, for code.ts; a `ref` input is another declaration's `.name`. */
export interface Declaration {
    kind: ProviderKind;
    name: string;
    args: Record<string, string | boolean | (string | { ref: string })[]>;
}

/** What was not imported, and why: never left out silently. */
export interface Note {
    subject: string;
    text: string;
}

export interface ImportPlan {
    entries: ImportEntry[];
    declarations: Declaration[];
    notes: Note[];
}

function entry(
    kind: ProviderKind,
    name: string,
    id: string,
    inputs: object,
    outputs: object,
    provider: string,
): ImportEntry {
    return {
        type: resourceType(kind),
        name,
        id,
        inputs: { ...inputs, __provider: provider },
        outputs: { ...outputs, __provider: provider },
    };
}

/** A registry name as a resource name (they are valid ones), or the name asked for. */
function logicalName(request: ImportRequest, registry: string): string {
    return request.name ?? registry;
}

function selectRegistries(request: ImportRequest, team: ApiRegistry[]): ApiRegistry[] {
    if (request.all) return team;
    return request.registries.map((name) => {
        const found = team.find((r) => r.name === name);
        if (!found) {
            const names = team.map((r) => r.name).join(", ") || "none";
            throw new UsageError(`--registry "${name}" is not one of this team's registries (it has: ${names})`);
        }
        return found;
    });
}

export async function planImport(
    client: DocrClient,
    request: ImportRequest,
    provider: (kind: ProviderKind) => Promise<string>,
): Promise<ImportPlan> {
    const team = await client.listRegistries();
    const registries = request.registries.length > 0 || request.all ? selectRegistries(request, team) : [];
    const plan: ImportPlan = { entries: [], declarations: [], notes: [] };
    const tier = listedTierSlug(team);

    if (request.all && registries.length === 0) plan.notes.push({ subject: "--all", text: "the team has no registry" });
    for (const [i, registry] of registries.entries()) {
        // The tier is the team's, not a registry's: one resource sets it. With --subscription that is
        // the Subscription; else the first registry (as a program with one Registry declares it).
        const tierHere = !request.subscription && i === 0 ? (registry.subscription?.tier?.slug ?? tier) : undefined;
        const outputs = registryOutputs(registry, tierHere);
        const inputs = strip({ name: outputs.name, region: outputs.region, subscriptionTierSlug: tierHere });
        const name = logicalName(request, registry.name);
        plan.entries.push(entry("Registry", name, registry.name, inputs, outputs, await provider("Registry")));
        plan.declarations.push({ kind: "Registry", name, args: inputs });
    }

    if (request.subscription) {
        const subscription = await client.getSubscription();
        if (!subscription.tier?.slug) {
            plan.notes.push({ subject: "--subscription", text: "the team has no subscription yet: nothing to import" });
        } else {
            const outputs = subscriptionOutputs(subscription);
            plan.entries.push(
                entry(
                    "Subscription",
                    "subscription",
                    SUBSCRIPTION_ID,
                    { tierSlug: outputs.tierSlug },
                    outputs,
                    await provider("Subscription"),
                ),
            );
            plan.declarations.push({
                kind: "Subscription",
                name: "subscription",
                args: { tierSlug: outputs.tierSlug },
            });
        }
    }

    if (request.clusters.length > 0) {
        await planIntegrations(client, request, registries, plan, await provider("ClusterRegistryIntegration"));
    }
    plan.notes.push(...NEVER_IMPORTED);
    return plan;
}

async function planIntegrations(
    client: DocrClient,
    request: ImportRequest,
    registries: ApiRegistry[],
    plan: ImportPlan,
    providerText: string,
): Promise<void> {
    const clusters = await collect(client.listKubernetesClusters());
    const registryNames = registries.map((r) => r.name);
    const stamps = Object.fromEntries(registries.flatMap((r) => (r.created_at ? [[r.name, r.created_at]] : [])));
    const imported = new Map(
        plan.declarations.filter((d) => d.kind === "Registry").map((d) => [d.args.name as string, d.name]),
    );
    for (const id of request.clusters) {
        const cluster = clusters.find((c) => c.id === id);
        if (!cluster) {
            const known = clusters.map((c) => `${c.name} (${c.id})`).join(", ") || "none";
            throw new UsageError(`--cluster "${id}" is not one of this team's DOKS clusters (it has: ${known})`);
        }
        if (registryNames.length === 0) continue;
        if (cluster.registry_enabled === false) {
            plan.notes.push({
                subject: `--cluster ${id}`,
                text:
                    `cluster "${cluster.name}" reports no registry (registry_enabled: false), so it has no integration to ` +
                    `import: declare a ClusterRegistryIntegration for it, and pulumi up adds the pairs`,
            });
            continue;
        }
        const name = `${cluster.name}-pull`;
        const inputs = { clusterIds: [id], registryNames };
        const outputs = { ...inputs, ...(Object.keys(stamps).length > 0 ? { registryCreatedAt: stamps } : {}) };
        plan.entries.push(entry("ClusterRegistryIntegration", name, randomUUID(), inputs, outputs, providerText));
        plan.declarations.push({
            kind: "ClusterRegistryIntegration",
            name,
            args: {
                clusterIds: [id],
                registryNames: registryNames.map((r) => (imported.has(r) ? { ref: imported.get(r)! } : r)),
            },
        });
        plan.notes.push({
            subject: `ClusterRegistryIntegration ${name}`,
            text:
                `the API says only that cluster "${cluster.name}" has some registry, not which: the pairs with ` +
                `${registryNames.join(", ")} are taken as they are. If one may be missing, declare the integration ` +
                `instead of importing it: pulumi up adds every pair (one that exists already is left as it is)`,
        });
    }
}

/** What the API cannot give back as an object, explained every time. */
const NEVER_IMPORTED: Note[] = [
    {
        subject: "RegistryCredentials",
        text: "not importable: the API never shows issued credentials again. Declare new ones; the old ones expire (or revoke them in the control panel)",
    },
    {
        subject: "RetentionPolicy",
        text: "nothing to import: a policy is rules in the program, not an object on the API. Declare it; preview shows what its first up would delete",
    },
    {
        subject: "GarbageCollection",
        text: "nothing to import: a collection is a run, not an object that stays. Declare it where the program should start one",
    },
];

function strip(value: Record<string, string | undefined>): Record<string, string> {
    const kept: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) kept[k] = v;
    return kept;
}
