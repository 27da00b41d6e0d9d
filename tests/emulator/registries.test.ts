import { expect } from "chai";
import type { RunningEmulator } from "../../emulator";
import { at, call, start } from "./helpers";

describe("emulator: registries, subscription, options", () => {
    let emu: RunningEmulator;
    beforeEach(async () => {
        emu = await start();
    });
    afterEach(() => emu.stop());

    it("requires the bearer token (401 unauthorized) and never logs it", async () => {
        const none = await call(emu, "GET", "/v2/registries", undefined, null);
        expect(none.status).to.equal(401);
        expect(none.json.id).to.equal("unauthorized");
        expect(none.json.request_id).to.be.a("string");
        const wrong = await call(emu, "GET", "/v2/registries", undefined, "nope");
        expect(wrong.status).to.equal(401);
        const ok = await call(emu, "GET", "/v2/registries");
        expect(ok.status).to.equal(200);
        expect(ok.json).to.deep.equal({ registries: [] });
        expect(JSON.stringify(emu.requests())).not.to.include(emu.token);
        expect(emu.requests().map((r) => r.status)).to.deep.equal([401, 401, 200]);
    });

    it("a fresh account has no subscription (404) and the first create needs a tier", async () => {
        expect((await call(emu, "GET", "/v2/registries/subscription")).status).to.equal(404);
        const noTier = await call(emu, "POST", "/v2/registries", { name: "acme" });
        expect(noTier.status).to.equal(422);
        expect(noTier.json.id).to.equal("unprocessable_entity");
        const created = await call(emu, "POST", "/v2/registries", { name: "acme", subscription_tier_slug: "basic" });
        expect(created.status).to.equal(201);
        expect(at(created.json, "registry.name")).to.equal("acme");
        expect(at(created.json, "registry.region")).to.equal("nyc3");
        expect(at(created.json, "registry.storage_usage_bytes")).to.equal(0);
        const sub = await call(emu, "GET", "/v2/registries/subscription");
        expect(at(sub.json, "subscription.tier.slug")).to.equal("basic");
        expect(at(sub.json, "subscription.tier.monthly_price_in_cents")).to.equal(500);
    });

    it("rejects bad bodies: invalid name, unknown region or tier (422), malformed JSON (400)", async () => {
        const cases: [unknown, number][] = [
            [{ name: "Bad_Name", subscription_tier_slug: "basic" }, 422],
            [{ name: "x".repeat(64), subscription_tier_slug: "basic" }, 422],
            [{ name: "ok", subscription_tier_slug: "gold" }, 422],
            [{ name: "ok", subscription_tier_slug: "basic", region: "mars1" }, 422],
            [{ name: 12, subscription_tier_slug: "basic" }, 422],
            ['{"name": "ok",', 400],
        ];
        for (const [body, status] of cases) {
            const r = await call(emu, "POST", "/v2/registries", body);
            expect(r.status, JSON.stringify(body)).to.equal(status);
            expect(r.json.id).to.equal(status === 400 ? "bad_request" : "unprocessable_entity");
        }
        expect(emu.snapshot().registries).to.have.length(0);
    });

    it("validate-name: 204 free, 409 for own and other teams' names, 422 invalid", async () => {
        emu.seed({ takenNames: ["taken-elsewhere"] });
        expect((await call(emu, "POST", "/v2/registries/validate-name", { name: "free-name" })).status).to.equal(204);
        expect((await call(emu, "POST", "/v2/registries/validate-name", { name: "taken-elsewhere" })).status).to.equal(
            409,
        );
        expect(
            (await call(emu, "POST", "/v2/registries", { name: "taken-elsewhere", subscription_tier_slug: "basic" }))
                .status,
        ).to.equal(409);
        await call(emu, "POST", "/v2/registries", { name: "mine", subscription_tier_slug: "basic" });
        const own = await call(emu, "POST", "/v2/registries/validate-name", { name: "mine" });
        expect(own.status).to.equal(409);
        expect(own.json.id).to.equal("conflict");
        expect((await call(emu, "POST", "/v2/registries/validate-name", { name: "UPPER" })).status).to.equal(422);
    });

    it("get, list (with subscription) and delete; 404 for unknown names", async () => {
        await call(emu, "POST", "/v2/registries", {
            name: "acme",
            region: "ams3",
            subscription_tier_slug: "professional",
        });
        const got = await call(emu, "GET", "/v2/registries/acme");
        expect(at(got.json, "registry.region")).to.equal("ams3");
        const list = await call(emu, "GET", "/v2/registries");
        const first = (list.json.registries as unknown[])[0];
        expect(at(first, "subscription.tier.slug")).to.equal("professional");
        const missing = await call(emu, "GET", "/v2/registries/nope");
        expect(missing.status).to.equal(404);
        expect(missing.json.id).to.equal("not_found");
        expect((await call(emu, "DELETE", "/v2/registries/acme")).status).to.equal(204);
        expect((await call(emu, "GET", "/v2/registries/acme")).status).to.equal(404);
        expect((await call(emu, "DELETE", "/v2/registries/acme")).status).to.equal(404);
    });

    it("a second registry needs Professional (412); at most 10 registries", async () => {
        await call(emu, "POST", "/v2/registries", { name: "r0", subscription_tier_slug: "basic" });
        const second = await call(emu, "POST", "/v2/registries", { name: "r1" });
        expect(second.status).to.equal(412);
        expect(second.json.id).to.equal("precondition_failed");
        const up = await call(emu, "POST", "/v2/registries/subscription", { tier_slug: "professional" });
        expect(up.status).to.equal(200);
        for (let i = 1; i < 10; i++) {
            expect((await call(emu, "POST", "/v2/registries", { name: `r${i}` })).status).to.equal(201);
        }
        const eleventh = await call(emu, "POST", "/v2/registries", { name: "r10" });
        expect(eleventh.status).to.equal(412);
        expect(eleventh.json.message).to.match(/at most 10/);
        const down = await call(emu, "POST", "/v2/registries/subscription", { tier_slug: "basic" });
        expect(down.status).to.equal(412);
        expect(down.json.message).to.include("OverRegistryLimit");
    });

    it("tier changes follow eligibility as options reports it (OverRepositoryLimit, OverStorageLimit)", async () => {
        emu.seed({
            subscriptionTier: "basic",
            registries: [
                {
                    name: "acme",
                    repositories: [
                        {
                            name: "a",
                            manifests: [
                                { tags: ["v1"], blobs: [{ digest: "sha256:big", sizeBytes: 600 * 1024 * 1024 }] },
                            ],
                        },
                        { name: "b", manifests: [{ tags: ["v1"] }] },
                    ],
                },
            ],
        });
        const opts = await call(emu, "GET", "/v2/registries/options");
        const tiers = at(opts.json, "options.subscription_tiers") as Record<string, unknown>[];
        expect(tiers.map((t) => t.slug)).to.deep.equal(["starter", "basic", "professional"]);
        expect(tiers[0]?.eligible).to.equal(false);
        expect(tiers[0]?.eligibility_reasons).to.deep.equal(["OverRepositoryLimit", "OverStorageLimit"]);
        expect(tiers[1]?.eligible).to.equal(true);
        expect(tiers[2]?.included_repositories).to.equal(0);
        expect(at(opts.json, "options.available_regions")).to.include.members(["nyc3", "sfo2", "blr1", "syd1"]);
        const down = await call(emu, "POST", "/v2/registries/subscription", { tier_slug: "starter" });
        expect(down.status).to.equal(412);
        expect(down.json.message).to.include("OverRepositoryLimit").and.include("OverStorageLimit");
        expect((await call(emu, "POST", "/v2/registries/subscription", { tier_slug: "nope" })).status).to.equal(422);
        expect(at((await call(emu, "GET", "/v2/registries/subscription")).json, "subscription.tier.slug")).to.equal(
            "basic",
        );
        expect((await call(emu, "DELETE", "/v2/registries/acme/repositories/b")).status).to.equal(204);
        const stillBig = await call(emu, "POST", "/v2/registries/subscription", { tier_slug: "starter" });
        expect(stillBig.json.message).to.include("OverStorageLimit").and.not.include("OverRepositoryLimit");
    });

    it("answers 404 for unknown routes and with rate-limit headers everywhere", async () => {
        const r = await call(emu, "GET", "/v2/registries/acme/nothing-here");
        expect(r.status).to.equal(404);
        for (const h of ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"])
            expect(r.headers.get(h)).to.match(/^\d+$/);
    });
});
