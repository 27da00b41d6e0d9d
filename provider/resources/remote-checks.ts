import type * as pulumi from "@pulumi/pulumi";
import type { DocrClient, RegistryOptions } from "../client";
import type { Connection } from "../client/connection";
import { errorWithConfigHint } from "../shared/stack-config";
import { connectionKey } from "./shared-reads";

/** What `check` may ask the API about, when a token is there to ask with. */
export interface RemoteQuestions {
    /** A registry name that this stack does not own yet: it must be free. */
    name?: string;
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

/** Per API URL and token: a host process serves one `pulumi` run, so what check learned holds for the run. */
const runCaches = new Map<string, RunCache>();

function runCache(connection: Connection | undefined): RunCache {
    const key = connectionKey(connection);
    let cache = runCaches.get(key);
    if (!cache) runCaches.set(key, (cache = {}));
    return cache;
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
        return [{ property: "", reason: err instanceof Error ? err.message : String(err) }];
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
    const cache = runCache(connection);
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const needsOptions = questions.region !== undefined || questions.tierSlug !== undefined;
    const options = needsOptions ? await cached(cache, "options", () => client.getOptions()) : undefined;

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
        const names = await nameFailures(client, questions.name, questions.tierSlug, options);
        failures.push(...names.filter((f) => !(tierRefused && f.property === "subscriptionTierSlug")));
    }
    return failures;
}

/**
 * A name this stack does not hold yet. The engine also checks a replacement without its old
 * inputs, so the name may be the team's own registry being replaced: that is not a failure (the
 * old one is deleted first). A name held elsewhere is; so is a second registry below the
 * `professional` tier, which the API refuses with 412 only at create.
 */
async function nameFailures(
    client: DocrClient,
    name: string,
    tierSlug: string | undefined,
    options: RegistryOptions | undefined,
): Promise<pulumi.dynamic.CheckFailure[]> {
    // Shared with concurrent checks, never kept past this process's writes (shared-reads.ts):
    // registries come and go during a run (a replacement deletes one first).
    const team = (await client.listRegistries()).map((r) => r.name);
    if (team.includes(name)) return [];
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
    const current = await currentTierSlug(client);
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
    const current = await currentTierSlug(client);
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

async function currentTierSlug(client: DocrClient): Promise<string | undefined> {
    try {
        return (await client.getSubscription()).tier?.slug ?? undefined;
    } catch {
        return undefined;
    }
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
        const cache = runCache(connection);
        const options = await cached(cache, "options", () => api.getOptions());
        return tierFailures(api, options, tierSlug, property);
    });
}
