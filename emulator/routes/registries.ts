import { conflict, preconditionFailed, unprocessable } from "../errors";
import { jsonObject, param, type Route, type RouteContext } from "../router";
import type { Store } from "../state";
import { DEFAULT_REGION, findTier, ineligibility, MAX_REGISTRIES, REGIONS, REGISTRY_NAME_PATTERN } from "../tiers";
import type { TierInfo } from "../tiers";
import type { RegistryState } from "../types";
import { registryView, subscriptionView } from "../views";

/** Validates a registry name from a body; 422 unless it matches `^[a-z0-9-]{1,63}$`. */
export function requireName(value: unknown): string {
    if (typeof value !== "string") throw unprocessable("name is required and must be a string");
    if (!REGISTRY_NAME_PATTERN.test(value)) {
        throw unprocessable(`name "${value}" is invalid: use 1-63 lowercase letters, digits and "-"`);
    }
    return value;
}

/** 409 when the name is used by this account or (per the fixture) by another team. */
export function assertNameFree(store: Store, name: string): void {
    const mine = store.state.registries.some((r) => r.name === name);
    if (mine || store.state.takenNames.includes(name)) {
        throw conflict(`registry name "${name}" is already in use`);
    }
}

/** Throws 412 naming the reasons the account cannot use `tier` given `extraRegistries` more. */
export function assertEligible(store: Store, tier: TierInfo, extraRegistries = 0): void {
    const usage = store.usage();
    const reasons = ineligibility(tier, { ...usage, registries: usage.registries + extraRegistries });
    if (reasons.length > 0) {
        throw preconditionFailed(`registry is not eligible for tier ${tier.slug} because: [${reasons.join(", ")}]`);
    }
}

function parseCreate(body: Record<string, unknown>): { name: string; region: string; tier?: TierInfo } {
    const name = requireName(body.name);
    const region = body.region ?? DEFAULT_REGION;
    if (typeof region !== "string" || !REGIONS.includes(region)) {
        throw unprocessable(`region ${JSON.stringify(region)} is not available; use one of ${REGIONS.join(", ")}`);
    }
    if (body.subscription_tier_slug === undefined) return { name, region };
    const tier = findTier(body.subscription_tier_slug);
    if (!tier) {
        throw unprocessable(`unknown subscription_tier_slug ${JSON.stringify(body.subscription_tier_slug)}`);
    }
    return { name, region, tier };
}

function create(ctx: RouteContext) {
    const { store, now } = ctx;
    const req = parseCreate(jsonObject(ctx));
    assertNameFree(store, req.name);
    const current = store.state.subscription;
    if (!current && !req.tier) {
        throw unprocessable("subscription_tier_slug is required when creating the first registry");
    }
    const count = store.state.registries.length;
    if (count >= MAX_REGISTRIES) {
        throw preconditionFailed(`a team can have at most ${MAX_REGISTRIES} registries; delete one first`);
    }
    const tier = req.tier ?? findTier(current?.tier);
    if (tier && count >= 1 && tier.slug !== "professional") {
        throw preconditionFailed(
            "registry is not eligible for tier because: [OverRegistryLimit]: more than one registry requires the professional tier",
        );
    }
    const iso = new Date(now).toISOString();
    if (req.tier && req.tier.slug !== current?.tier) {
        // Creating with a different tier switches the team's plan, so it must pass the same checks.
        if (current) assertEligible(store, req.tier, 1);
        store.state.subscription = { tier: req.tier.slug, createdAt: current?.createdAt ?? iso, updatedAt: iso };
    }
    const registry: RegistryState = {
        name: req.name,
        region: req.region,
        createdAt: iso,
        blobStore: {},
        storageUpdatedAt: iso,
        repositories: [],
        garbageCollections: [],
    };
    store.state.registries.push(registry);
    store.touch();
    return { status: 201, body: { registry: registryView(registry) } };
}

/** Registry CRUD routes. */
export const registryRoutes: Route[] = [
    {
        method: "GET",
        path: "/v2/registries",
        operationId: "registries_list",
        handler: ({ store }) => {
            const sub = store.state.subscription;
            const registries = store.state.registries.map((r) => ({
                ...registryView(r),
                ...(sub ? { subscription: subscriptionView(sub) } : {}),
            }));
            return { status: 200, body: { registries } };
        },
    },
    { method: "POST", path: "/v2/registries", operationId: "registries_create", handler: create },
    {
        method: "GET",
        path: "/v2/registries/:registry_name",
        operationId: "registries_get",
        handler: (ctx) => ({
            status: 200,
            body: { registry: registryView(ctx.store.registry(param(ctx, "registry_name"))) },
        }),
    },
    {
        method: "DELETE",
        path: "/v2/registries/:registry_name",
        operationId: "registries_delete",
        handler: (ctx) => {
            const r = ctx.store.registry(param(ctx, "registry_name"));
            ctx.store.state.registries = ctx.store.state.registries.filter((x) => x !== r);
            // A deleted registry is no longer integrated with any cluster.
            for (const c of ctx.store.state.clusters) c.registries = c.registries.filter((name) => name !== r.name);
            ctx.store.touch();
            return { status: 204 };
        },
    },
];
