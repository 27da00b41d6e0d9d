import { notFound, unprocessable } from "../errors";
import { jsonObject, type Route } from "../router";
import { findTier, ineligibility, REGIONS, TIERS } from "../tiers";
import { subscriptionView, tierView } from "../views";
import { assertEligible, assertNameFree, requireName } from "./registries";

/** Options, subscription and name validation: account-level operations. */
export const accountRoutes: Route[] = [
    {
        method: "GET",
        path: "/v2/registries/options",
        operationId: "registries_get_options",
        handler: ({ store }) => {
            const usage = store.usage();
            const subscription_tiers = TIERS.map((t) => {
                const reasons = ineligibility(t, usage);
                // OverRegistryLimit is not in the documented enum: it only flips `eligible`.
                const listed = reasons.filter((r) => r !== "OverRegistryLimit");
                return {
                    ...tierView(t),
                    eligible: reasons.length === 0,
                    ...(listed.length > 0 ? { eligibility_reasons: listed } : {}),
                };
            });
            return { status: 200, body: { options: { available_regions: [...REGIONS], subscription_tiers } } };
        },
    },
    {
        method: "GET",
        path: "/v2/registries/subscription",
        operationId: "registries_get_subscription",
        handler: ({ store }) => {
            const sub = store.state.subscription;
            // "A subscription is automatically created when you configure your container registry":
            // before that there is none, and the schema has no way to say so except a 404.
            if (!sub) throw notFound("no subscription: create a registry (with subscription_tier_slug) first");
            return { status: 200, body: { subscription: subscriptionView(sub) } };
        },
    },
    {
        method: "POST",
        path: "/v2/registries/subscription",
        operationId: "registries_update_subscription",
        handler: (ctx) => {
            const { store, now } = ctx;
            const body = jsonObject(ctx);
            const tier = findTier(body.tier_slug);
            if (!tier) throw unprocessable(`unknown or missing tier_slug ${JSON.stringify(body.tier_slug)}`);
            const iso = new Date(now).toISOString();
            const current = store.state.subscription;
            if (!current) {
                store.state.subscription = { tier: tier.slug, createdAt: iso, updatedAt: iso };
                store.touch();
            } else if (current.tier !== tier.slug) {
                assertEligible(store, tier);
                current.tier = tier.slug;
                current.updatedAt = iso;
                store.touch();
            }
            const sub = store.state.subscription;
            return { status: 200, body: { subscription: sub ? subscriptionView(sub) : {} } };
        },
    },
    {
        method: "POST",
        path: "/v2/registries/validate-name",
        operationId: "registries_validate_name",
        handler: (ctx) => {
            const name = requireName(jsonObject(ctx).name);
            assertNameFree(ctx.store, name);
            return { status: 204 };
        },
    },
];
