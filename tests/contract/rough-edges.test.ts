import { expect } from "chai";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { checkRequest, failures, loadContract, type Contract } from "./contract";
import { startProxy, type Exchange, type RecordingProxy } from "./proxy";

type Node = Record<string, unknown>;

function request(method: string, url: string, body?: unknown): Exchange {
    return {
        method,
        url,
        requestHeaders: body === undefined ? {} : { "content-type": "application/json" },
        requestBody: body === undefined ? "" : JSON.stringify(body),
        status: 200,
        responseHeaders: {},
        responseBody: "",
    };
}

/**
 * The OpenAPI file's known rough edges (shared/api/README.md): each is pinned here as a fact about
 * the file (so a fixed spec makes the matching allowance in contract.ts visibly stale) and shown to
 * be handled narrowly (the allowance covers one operation and field, nothing else).
 */
describe("contract: the OpenAPI file's rough edges, handled one by one", function () {
    let contract: Contract;
    let paths: Node;
    let schemas: Node;
    const errs = (ex: Exchange) => checkRequest(contract, ex).errors;

    before(async () => {
        contract = await loadContract();
        paths = contract.raw.paths as Node;
        schemas = (contract.raw.components as Node).schemas as Node;
    });

    const op = (path: string, method: string) => (paths[path] as Node)[method] as Node;
    const paramNames = (o: Node) => ((o.parameters ?? []) as { $ref: string }[]).map((p) => p.$ref.split("/").pop());

    describe("docker-credentials: read_write/expiry_seconds undeclared on the name-addressed operation", () => {
        it("the file declares them on the legacy operation only", () => {
            expect(paramNames(op("/v2/registries/{registry_name}/docker-credentials", "get"))).to.deep.equal([
                "registry_name",
            ]);
            expect(paramNames(op("/v2/registry/docker-credentials", "get"))).to.have.members([
                "registry_expiry_seconds",
                "registry_read_write",
            ]);
        });

        it("they are validated against the legacy declaration (boolean, integer >= 0), nothing else is let through", () => {
            const path = "/v2/registries/acme/docker-credentials";
            expect(errs(request("GET", `${path}?read_write=true&expiry_seconds=3600`))).to.deep.equal([]);
            expect(errs(request("GET", `${path}?read_write=maybe`)).join()).to.match(/read_write must be boolean/);
            expect(errs(request("GET", `${path}?expiry_seconds=-1`)).join()).to.match(/expiry_seconds must be >= 0/);
            expect(errs(request("GET", `${path}?expiry=3600`)).join()).to.match(/additional properties/);
            // Scoped to that operation: the same parameters on another one are still undeclared.
            expect(errs(request("GET", "/v2/registries/acme?read_write=true")).join()).to.match(
                /additional properties/,
            );
        });
    });

    describe("POST /v2/registries: multiregistry_create (name required) vs the legacy registry_create (tier required too)", () => {
        it("the file attaches multiregistry_create, whose only required field is name", () => {
            const body = op("/v2/registries", "post").requestBody as Node;
            const schema = ((body.content as Node)["application/json"] as Node).schema as Node;
            expect(schema.$ref).to.equal("#/components/schemas/multiregistry_create");
            expect((schemas.multiregistry_create as Node).required).to.deep.equal(["name"]);
            expect((schemas.registry_create as Node).required).to.deep.equal(["name", "subscription_tier_slug"]);
        });

        it("a create without a tier conforms on /v2/registries (the emulator takes the account's tier), not on the legacy path", () => {
            expect(errs(request("POST", "/v2/registries", { name: "second", region: "sfo2" }))).to.deep.equal([]);
            expect(errs(request("POST", "/v2/registry", { name: "second", region: "fra1" })).join()).to.match(
                /subscription_tier_slug/,
            );
            // sfo2 is in multiregistry_create's region enum, not in the legacy one.
            expect(
                errs(
                    request("POST", "/v2/registry", {
                        name: "second",
                        region: "sfo2",
                        subscription_tier_slug: "basic",
                    }),
                ).join(),
            ).to.match(/region/);
        });
    });

    describe("POST …/garbage-collection: the name-addressed operation declares no body", () => {
        it("the file declares none there, and registry_run_gc on the legacy operation", () => {
            expect(op("/v2/registries/{registry_name}/garbage-collection", "post").requestBody).to.equal(undefined);
            const legacy = op("/v2/registry/{registry_name}/garbage-collection", "post").requestBody as Node;
            expect((((legacy.content as Node)["application/json"] as Node).schema as Node).$ref).to.equal(
                "#/components/schemas/registry_run_gc",
            );
        });

        it("a `{type}` body is validated against registry_run_gc; other body-less operations still refuse a body", () => {
            const path = "/v2/registries/acme/garbage-collection";
            expect(errs(request("POST", path))).to.deep.equal([]);
            expect(errs(request("POST", path, { type: "untagged manifests only" }))).to.deep.equal([]);
            expect(errs(request("POST", path, { type: "everything" })).join()).to.match(
                /type must be equal to one of the allowed values/,
            );
            expect(errs(request("GET", path, { type: "untagged manifests only" })).join()).to.match(
                /declares no request body/,
            );
        });
    });

    describe("responses the schemas cannot see", () => {
        let emu: RunningEmulator;
        let proxy: RecordingProxy;
        before(async () => {
            emu = await startEmulator({
                seed: 2,
                rateLimitPerMinute: 0,
                fixture: {
                    subscriptionTier: "professional",
                    registries: [{ name: "acme", repositories: [{ name: "app", generate: { tagCount: 3 } }] }],
                },
            });
            proxy = await startProxy(emu.url);
        });
        after(async () => {
            await proxy?.stop();
            await emu?.stop();
        });

        async function get(method: string, path: string, body?: unknown): Promise<Node> {
            const { value, exchanges } = await proxy.during(async () => {
                const res = await fetch(`${proxy.url}${path}`, {
                    method,
                    headers: {
                        authorization: `Bearer ${emu.token}`,
                        ...(body === undefined ? {} : { "content-type": "application/json" }),
                    },
                    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
                });
                return (await res.json()) as Node;
            });
            expect(failures(contract, exchanges)).to.deep.equal([]);
            return value;
        }

        it("get and create carry no subscription (multiregistry = registry_base); the list does (registry)", async () => {
            expect((schemas.multiregistry as Node).allOf).to.deep.equal([
                { $ref: "#/components/schemas/registry_base" },
            ]);
            const created = (await get("POST", "/v2/registries", { name: "other", region: "nyc3" })).registry as Node;
            const fetched = (await get("GET", "/v2/registries/acme")).registry as Node;
            const listed = (await get("GET", "/v2/registries")).registries as Node[];
            expect(created).to.not.have.property("subscription");
            expect(fetched).to.not.have.property("subscription");
            for (const r of listed) expect(r).to.have.nested.property("subscription.tier.slug", "professional");
            // No operation returns a server URL (it is registry.digitalocean.com/<name>): none invented either.
            expect(JSON.stringify([created, fetched, listed])).to.not.match(/server_url|registry\.digitalocean\.com/);
        });

        it("examples misspell compressed_size_byte; the schemas allow unknown keys, so the emulator's spelling is checked here", async () => {
            const examples = JSON.stringify((contract.raw.components as Node).responses);
            expect(examples).to.include('"compressed_size_byte":');
            const manifests = (await get("GET", "/v2/registries/acme/repositories/app/digests")).manifests as {
                blobs: Node[];
            }[];
            const repos = (await get("GET", "/v2/registries/acme/repositoriesV2")).repositories as {
                latest_manifest: { blobs: Node[] };
            }[];
            const blobs = [...manifests.flatMap((m) => m.blobs), ...repos.flatMap((r) => r.latest_manifest.blobs)];
            expect(blobs.length).to.be.greaterThan(0);
            for (const b of blobs) {
                expect(b).to.have.all.keys("digest", "compressed_size_bytes");
                expect(b.compressed_size_bytes).to.be.a("number");
            }
        });

        it("every region the options offer is one the create schema accepts (the options example lists fewer)", async () => {
            const options = (await get("GET", "/v2/registries/options")).options as { available_regions: string[] };
            const createRegions = (((schemas.multiregistry_create as Node).properties as Node).region as Node)
                .enum as string[];
            expect(options.available_regions.length).to.be.greaterThan(0);
            expect(createRegions).to.include.members(options.available_regions);
        });
    });
});
