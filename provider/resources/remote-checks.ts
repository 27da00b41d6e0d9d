import type * as pulumi from "@pulumi/pulumi";
import { messageOf } from "../client/errors";
import type { DocrClient, RegistryOptions } from "../client";
import { connectionKey, type Connection } from "../client/connection";
import { processWide } from "../client/process-wide";
import { errorWithConfigHint } from "../shared/stack-config";
import { adoptCommand } from "../recovery/registry-create";
import { teamPlan } from "./cost/team";

/** What `check` may ask the API about, when a token is there to ask with. */
export interface RemoteQuestions {
    /** A registry name that this stack does not own yet: it must be free. */
    name?: string;
    /** The team's own registry of that name is fine: `adoptExisting`, or the stack replaces it in this run. */
    teamNameAllowed?: boolean;
    region?: string;
    tierSlug?: string;
}

/*
 * One host process serves one `pulumi preview`/`up`, so the options are cached for the process: a
 * stack of fifty resources asks for them once. The team's registries and subscription change
 * during a run, so they are not cached here: the client shares them between concurrent checks
 * for a few seconds, and forgets them on this process's writes (shared-reads.ts). The key is the
 * API URL and a digest of the token, never the token.
 */
interface RunCache {
    options?: Promise<RegistryOptions>;
    /** Registry names a `Registry` of this run passed `check` with: they exist by the time they are used. */
    plannedRegistries?: Set<string>;
    /**
     * Registries this run replaces (the diff said so) and, once created again, their new `createdAt`
     * (`null` until then): a ClusterRegistryIntegration naming one must add its pairs again, since the
     * API drops a deleted registry's integrations.
     */
    recreatedRegistries?: Map<string, string | null>;
}

/** Called by a `Registry`'s check: the deployment is about to create (or keep) this registry. */
export function notePlannedRegistry(connection: Connection | undefined, name: string): void {
    const cache = runCache(connection);
    (cache.plannedRegistries ??= new Set<string>()).add(name);
}

/**
 * Whether a `Registry` of this run (one host process serves one preview or update) checked this
 * name: a program that creates a registry and integrates it must not fail its preview because the
 * registry does not exist yet.
 */
export function isPlannedRegistry(connection: Connection | undefined, name: string): boolean {
    return runCache(connection).plannedRegistries?.has(name) ?? false;
}

/** Called by a `Registry`'s diff that replaces it: its clusters lose it until it is integrated again. */
export function noteRecreatedRegistry(connection: Connection | undefined, name: string): void {
    const cache = runCache(connection);
    const recreated = (cache.recreatedRegistries ??= new Map<string, string | null>());
    if (!recreated.has(name)) recreated.set(name, null);
}

/** Called by a `Registry`'s create: when a replacement (or a first create) of this run is done. */
export function noteCreatedRegistry(connection: Connection | undefined, name: string, createdAt: string): void {
    const cache = runCache(connection);
    (cache.recreatedRegistries ??= new Map<string, string | null>()).set(name, createdAt);
}

/**
 * What this run did to a registry: `undefined` (nothing), `null` (replaced, not created again yet:
 * a preview) or the `createdAt` of the registry this run created.
 */
export function registryRecreation(connection: Connection | undefined, name: string): string | null | undefined {
    return runCache(connection).recreatedRegistries?.get(name);
}

/**
 * Per API URL and token, for every copy of this package in the process: a host process serves one
 * `pulumi` run, so what check learned holds for the run.
 */
function runCache(connection: Connection | undefined): RunCache {
    return processWide<string, RunCache>("check-caches", connectionKey(connection), () => ({}));
}

function cached<K extends keyof RunCache>(
    cache: RunCache,
    key: K,
    load: () => NonNullable<RunCache[K]>,
): NonNullable<RunCache[K]> {
    const existing = cache[key];
    if (existing) return existing;
    const pending = load();
    cache[key] = pending;
    // A failed look-up is not remembered: the next resource asks again.
    (pending as Promise<unknown>).catch(() => {
        if (cache[key] === pending) delete cache[key];
    });
    return pending;
}

/** The options (regions, tiers and their prices), asked for once per run and shared by every check. */
export function runOptions(connection: Connection | undefined, client: DocrClient): Promise<RegistryOptions> {
    return cached(runCache(connection), "options", () => client.getOptions());
}

/**
 * A look-up that failed (no token, a rejected token, the API down) fails the check with the
 * error's own message and no property. Thrown from `check`, the same error reaches the user with
 * the host's stack trace around it.
 */
export async function orFailure(
    checks: () => Promise<pulumi.dynamic.CheckFailure[]>,
): Promise<pulumi.dynamic.CheckFailure[]> {
    try {
        return await checks();
    } catch (caught) {
        const err = errorWithConfigHint(caught);
        return [{ property: "", reason: messageOf(err) }];
    }
}

/** Checks that need the API: region availability, name availability and tier eligibility. */
export function remoteRegistryChecks(
    connection: Connection | undefined,
    client: () => DocrClient,
    questions: RemoteQuestions,
): Promise<pulumi.dynamic.CheckFailure[]> {
    return orFailure(() => registryChecks(connection, client(), questions));
}

async function registryChecks(
    connection: Connection | undefined,
    client: DocrClient,
    questions: RemoteQuestions,
): Promise<pulumi.dynamic.CheckFailure[]> {
    // The client is made first (by the caller, in orFailure): without a token that throws, and
    // preview fails. `pulumi up` could do nothing without one, and a preview that passes before an
    // up that fails is what a preview exists to prevent.
    if (!questions.name && !questions.region && !questions.tierSlug) return [];
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const needsOptions = questions.region !== undefined || questions.tierSlug !== undefined;
    const options = needsOptions ? await runOptions(connection, client) : undefined;

    if (questions.region && options && !options.available_regions.includes(questions.region)) {
        failures.push({
            property: "region",
            reason: `region: "${questions.region}" is not available for container registries; available: ${options.available_regions.join(", ")}`,
        });
    }
    if (questions.tierSlug && options) {
        failures.push(...(await tierFailures(client, options, questions.tierSlug, "subscriptionTierSlug")));
    }
    if (questions.name) {
        // A tier refused for the registry count is one cause: say it once, with one fix.
        const tierRefused = failures.some((f) => f.property === "subscriptionTierSlug");
        const names = await nameFailures(
            client,
            questions.name,
            questions.teamNameAllowed === true,
            questions.tierSlug,
            options,
        );
        failures.push(...names.filter((f) => !(tierRefused && f.property === "subscriptionTierSlug")));
    }
    return failures;
}

/**
 * A name this stack does not hold yet. One of the team's registries is a failure that says how to
 * take it over, unless `teamNameAllowed`: `adoptExisting`, or the engine checking a replacement of
 * this stack's own registry again without its old inputs (the old one is deleted first). A name
 * held elsewhere is a failure; so is a second registry below the `professional` tier, which the API
 * refuses with 412 only at create.
 */
async function nameFailures(
    client: DocrClient,
    name: string,
    teamNameAllowed: boolean,
    tierSlug: string | undefined,
    options: RegistryOptions | undefined,
): Promise<pulumi.dynamic.CheckFailure[]> {
    // Shared with concurrent checks, never kept past this process's writes (shared-reads.ts):
    // registries come and go during a run (a replacement deletes one first).
    const team = (await client.listRegistries()).map((r) => r.name);
    if (team.includes(name)) {
        if (teamNameAllowed) return [];
        return [
            {
                property: "name",
                reason: `name: registry "${name}" is already one of this team's registries: ${waysForward(name)}`,
            },
        ];
    }
    if (!(await client.validateName(name))) {
        return [
            {
                property: "name",
                reason:
                    `name: registry name "${name}" is already taken (names are global across DigitalOcean, and it is not one of ` +
                    `this team's registries). Choose another name.`,
            },
        ];
    }
    if (team.length === 0) return [];
    const current = (await teamPlan(client)).currentTierSlug;
    const tier = tierSlug ?? current;
    if (tier === "professional") return [];
    const offered = options?.subscription_tiers.map((t) => t.slug);
    if (offered && !offered.includes("professional")) return [];
    return [
        {
            property: "subscriptionTierSlug",
            reason:
                `subscriptionTierSlug: the team already has ${team.length === 1 ? "a registry" : `${team.length} registries`} ` +
                `(${listed(team)}) and more than one registry needs the ` +
                `"professional" tier (the team is on "${current ?? "no tier"}"${tierSlug && tierSlug !== current ? `, and this registry asks for "${tierSlug}"` : ""}): ` +
                `set subscriptionTierSlug: "professional" on one of them, ` +
                `or use a registry the team has`,
        },
    ];
}

/** How to manage a registry the team already has, for the messages of check and create. */
export function waysForward(name: string): string {
    return (
        `to manage it with this stack, import it (\`npx docr-import --registry ${name} --out import.json\`, then ` +
        `\`pulumi import --file import.json --generate-code=false\`) or set adoptExisting: true on the Registry; ` +
        `or choose another name. If an interrupted pulumi up of this stack created it on another machine (pulumi ` +
        `stack export lists it under pending_operations), adopt it with: \`${adoptCommand(name)}\``
    );
}

/** The first few names of a list, for a message. */
export function listed(names: string[]): string {
    return names.slice(0, 5).join(", ") + (names.length > 5 ? ", ..." : "");
}

/** A tier change the team is not eligible for fails at preview with the API's own reasons. */
export async function tierFailures(
    client: DocrClient,
    options: RegistryOptions,
    tierSlug: string,
    property: string,
): Promise<pulumi.dynamic.CheckFailure[]> {
    const tier = options.subscription_tiers.find((t) => t.slug === tierSlug);
    if (!tier) {
        const offered = options.subscription_tiers.map((t) => t.slug).join(", ");
        return [{ property, reason: `${property}: tier "${tierSlug}" is not offered; offered: ${offered}` }];
    }
    if (tier.eligible !== false) return [];
    const current = (await teamPlan(client)).currentTierSlug;
    if (current === tierSlug) return [];
    if (!tier.eligibility_reasons?.length) {
        // The options list no reason for the registry limit (it is not in their enum): name it.
        const team = (await client.listRegistries()).map((r) => r.name);
        if (team.length > 1 && tierSlug !== "professional") {
            return [
                {
                    property,
                    reason: `${property}: the team has ${team.length} registries (${listed(team)}) and more than one registry needs the "professional" tier; keep "professional" or delete registries first`,
                },
            ];
        }
    }
    const reasons = tier.eligibility_reasons?.length ? tier.eligibility_reasons.join(", ") : "no reason given";
    return [
        {
            property,
            reason: `${property}: the team is not eligible for the "${tierSlug}" tier (${reasons}); reduce repositories or storage first, or choose a larger tier`,
        },
    ];
}

/** For the Subscription resource, which only has a tier to check. */
export function remoteTierCheck(
    connection: Connection | undefined,
    client: () => DocrClient,
    tierSlug: string,
    property: string,
): Promise<pulumi.dynamic.CheckFailure[]> {
    return orFailure(async () => {
        const api = client(); // throws without a token, as for a Registry
        const options = await runOptions(connection, api);
        return tierFailures(api, options, tierSlug, property);
    });
}
