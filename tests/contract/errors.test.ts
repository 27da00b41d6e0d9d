import { expect } from "chai";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { checkExchange, failures, loadContract, type Contract } from "./contract";
import { startProxy, type Exchange, type RecordingProxy } from "./proxy";

const TOKEN = "dop_v1_contracterrors0123456789abcdef0123456789abcdef0123456789";
const DIGEST = `sha256:${"a".repeat(64)}`;

/** One request per name-addressed operation (a well-formed one: only auth or state makes it fail). */
const EVERY_OPERATION: [string, string, string, unknown?][] = [
    ["registries_list", "GET", "/v2/registries"],
    [
        "registries_create",
        "POST",
        "/v2/registries",
        { name: "new-one", region: "fra1", subscription_tier_slug: "basic" },
    ],
    ["registries_get_options", "GET", "/v2/registries/options"],
    ["registries_get_subscription", "GET", "/v2/registries/subscription"],
    ["registries_update_subscription", "POST", "/v2/registries/subscription", { tier_slug: "basic" }],
    ["registries_validate_name", "POST", "/v2/registries/validate-name", { name: "new-one" }],
    ["registries_get", "GET", "/v2/registries/REG"],
    ["registries_delete", "DELETE", "/v2/registries/REG"],
    ["registries_get_dockerCredentials", "GET", "/v2/registries/REG/docker-credentials"],
    ["registries_get_garbageCollection", "GET", "/v2/registries/REG/garbage-collection"],
    ["registries_run_garbageCollection", "POST", "/v2/registries/REG/garbage-collection"],
    [
        "registries_update_garbageCollection",
        "PUT",
        "/v2/registries/REG/garbage-collection/eff0feee-49c7-4e8f-ba5c-a320c109c8a8",
        { cancel: true },
    ],
    ["registries_list_garbageCollections", "GET", "/v2/registries/REG/garbage-collections?per_page=20&page=1"],
    ["registries_list_repositoriesV2", "GET", "/v2/registries/REG/repositoriesV2?per_page=20"],
    ["registries_delete_repository", "DELETE", "/v2/registries/REG/repositories/team%2Fapp"],
    ["registries_list_repositoryTags", "GET", "/v2/registries/REG/repositories/team%2Fapp/tags?per_page=20&page=1"],
    ["registries_delete_repositoryTag", "DELETE", "/v2/registries/REG/repositories/team%2Fapp/tags/v1"],
    ["registries_list_repositoryManifests", "GET", "/v2/registries/REG/repositories/team%2Fapp/digests?per_page=20"],
    ["registries_delete_repositoryManifest", "DELETE", `/v2/registries/REG/repositories/team%2Fapp/digests/${DIGEST}`],
];

/**
 * Error statuses of the emulator against the spec: every operation's 401, 404 and 429, and the
 * 400/409/412/422 the reference describes, each with `{id, message, request_id}` and the
 * `ratelimit-*` headers, validated against the operation's declared status (or its `default`).
 */
describe("contract: emulator error responses (401, 404, 409, 412, 422, 429, 400)", function () {
    let contract: Contract;
    let emu: RunningEmulator;
    let proxy: RecordingProxy;

    async function send(method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<Exchange> {
        const { exchanges } = await proxy.during(async () => {
            const headers: Record<string, string> = {};
            if (token !== null) headers.authorization = `Bearer ${token}`;
            if (body !== undefined) headers["content-type"] = "application/json";
            const res = await fetch(`${proxy.url}${path}`, {
                method,
                headers,
                ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            });
            await res.arrayBuffer();
        });
        expect(exchanges).to.have.length(1);
        return exchanges[0];
    }

    /** The response conforms, has the expected status, error id and (declared or default) response key. */
    function expectError(
        ex: Exchange,
        operationId: string,
        status: number,
        id: string,
        key: string,
        opts: { requestConforms?: boolean } = {},
    ): void {
        const r = checkExchange(contract, ex);
        expect(r.operationId, ex.url).to.equal(operationId);
        expect(ex.status, `${operationId}: ${ex.responseBody}`).to.equal(status);
        expect(failures(contract, [ex], { requests: opts.requestConforms !== false })).to.deep.equal([]);
        expect(r.responseKey, `${operationId} ${status}`).to.equal(key);
        const body = JSON.parse(ex.responseBody) as { id: string; message: string; request_id: string };
        expect(body.id).to.equal(id);
        expect(body.message).to.be.a("string").and.not.equal("");
        expect(body.request_id).to.equal(ex.responseHeaders["x-request-id"]);
    }

    before(async () => {
        contract = await loadContract();
        emu = await startEmulator({
            token: TOKEN,
            seed: 3,
            rateLimitPerMinute: 0,
            gcStepMs: 60_000, // a started collection stays active for the whole suite
            fixture: {
                subscriptionTier: "basic",
                takenNames: ["held-elsewhere"],
                registries: [
                    {
                        name: "acme",
                        repositories: [
                            { name: "team/app", manifests: [{ digest: DIGEST, tags: ["v1"] }] },
                            { name: "one", manifests: [{ tags: ["x"] }] },
                            { name: "two", manifests: [{ tags: ["x"] }] },
                        ],
                    },
                ],
            },
        });
        proxy = await startProxy(emu.url);
    });
    after(async () => {
        await proxy?.stop();
        await emu?.stop();
    });

    it("the table names every name-addressed operation of the spec once", () => {
        expect(EVERY_OPERATION.map(([op]) => op).sort()).to.deep.equal([...contract.nameAddressed].sort());
    });

    for (const [operationId, method, path, body] of EVERY_OPERATION) {
        it(`401 without a token: ${operationId}`, async () => {
            const ex = await send(method, path.replace("REG", "acme"), body, null);
            expectError(ex, operationId, 401, "unauthorized", "401", { requestConforms: false });
            expect(checkExchange(contract, ex).requestErrors.join()).to.match(/security: bearer_auth/);
            expect(emu.snapshot().registries.map((r) => r.name)).to.deep.equal(["acme"]);
        });
    }

    for (const [operationId, method, path, body] of EVERY_OPERATION.filter(([, , p]) => p.includes("REG"))) {
        it(`404 for a registry that does not exist: ${operationId}`, async () => {
            const ex = await send(method, path.replace("REG", "nowhere"), body);
            expectError(ex, operationId, 404, "not_found", "404");
        });
    }

    it("404 below an existing registry: missing repository, tag, manifest, garbage collection", async () => {
        expectError(
            await send("GET", "/v2/registries/acme/repositories/absent/tags"),
            "registries_list_repositoryTags",
            404,
            "not_found",
            "404",
        );
        expectError(
            await send("DELETE", "/v2/registries/acme/repositories/team%2Fapp/tags/nope"),
            "registries_delete_repositoryTag",
            404,
            "not_found",
            "404",
        );
        expectError(
            await send("DELETE", `/v2/registries/acme/repositories/team%2Fapp/digests/sha256:${"f".repeat(64)}`),
            "registries_delete_repositoryManifest",
            404,
            "not_found",
            "404",
        );
        expectError(
            await send("PUT", "/v2/registries/acme/garbage-collection/no-such-uuid", { cancel: true }),
            "registries_update_garbageCollection",
            404,
            "not_found",
            "404",
        );
        expectError(
            await send("GET", "/v2/registries/acme/garbage-collection"),
            "registries_get_garbageCollection",
            404,
            "not_found",
            "404",
        );
    });

    it("409: a taken name (validate-name declares it; create answers through default), a second active collection", async () => {
        expectError(
            await send("POST", "/v2/registries/validate-name", { name: "acme" }),
            "registries_validate_name",
            409,
            "conflict",
            "409",
        );
        expectError(
            await send("POST", "/v2/registries/validate-name", { name: "held-elsewhere" }),
            "registries_validate_name",
            409,
            "conflict",
            "409",
        );
        expectError(
            await send("POST", "/v2/registries", { name: "held-elsewhere" }),
            "registries_create",
            409,
            "conflict",
            "default",
        );
        const started = await send("POST", "/v2/registries/acme/garbage-collection");
        expect(failures(contract, [started])).to.deep.equal([]);
        expect(started.status).to.equal(201);
        expectError(
            await send("POST", "/v2/registries/acme/garbage-collection"),
            "registries_run_garbageCollection",
            409,
            "conflict",
            "default",
        );
    });

    it("412: a tier the account is not eligible for, a second registry below Professional (default response)", async () => {
        // Three repositories: over the starter tier's one.
        const tier = await send("POST", "/v2/registries/subscription", { tier_slug: "starter" });
        expectError(tier, "registries_update_subscription", 412, "precondition_failed", "default");
        expect((JSON.parse(tier.responseBody) as { message: string }).message).to.match(/OverRepositoryLimit/);
        const second = await send("POST", "/v2/registries", { name: "second", region: "fra1" });
        expectError(second, "registries_create", 412, "precondition_failed", "default");
        expect(emu.snapshot().subscription?.tier).to.equal("basic");
    });

    it("422: bad bodies and out-of-range parameters (requests deliberately off-contract; responses conform)", async () => {
        const off = { requestConforms: false };
        expectError(
            await send("POST", "/v2/registries", { name: "Bad_Name", subscription_tier_slug: "basic" }),
            "registries_create",
            422,
            "unprocessable_entity",
            "default",
            off,
        );
        expectError(
            await send("POST", "/v2/registries", { name: "ok-name", region: "mars1" }),
            "registries_create",
            422,
            "unprocessable_entity",
            "default",
            off,
        );
        expectError(
            await send("POST", "/v2/registries/subscription", { tier_slug: "platinum" }),
            "registries_update_subscription",
            422,
            "unprocessable_entity",
            "default",
            off,
        );
        expectError(
            await send("GET", "/v2/registries/acme/repositories/team%2Fapp/tags?per_page=201"),
            "registries_list_repositoryTags",
            422,
            "unprocessable_entity",
            "default",
            off,
        );
        expectError(
            await send("GET", "/v2/registries/acme/garbage-collections?page=0"),
            "registries_list_garbageCollections",
            422,
            "unprocessable_entity",
            "default",
            off,
        );
        expectError(
            await send("GET", "/v2/registries/acme/docker-credentials?read_write=maybe"),
            "registries_get_dockerCredentials",
            422,
            "unprocessable_entity",
            "default",
            off,
        );
        // The same requests fail the request check: the spec and the emulator agree on what is invalid.
        const rejected = await send("GET", "/v2/registries/acme/repositories/team%2Fapp/tags?per_page=201");
        expect(checkExchange(contract, rejected).requestErrors.join()).to.match(/per_page/);
    });

    it("400: an undecodable page_token on repositoriesV2 (the one operation that declares 400)", async () => {
        expectError(
            await send("GET", "/v2/registries/acme/repositoriesV2?page_token=%25%25not-a-token"),
            "registries_list_repositoriesV2",
            400,
            "bad_request",
            "400",
        );
    });

    it("413: a body over the emulator's 1 MiB limit still gets {id, message, request_id} and ratelimit-* headers", async () => {
        const ex = await send("POST", "/v2/registries/validate-name", { name: "x".repeat(1_100_000) });
        expectError(ex, "registries_validate_name", 413, "request_entity_too_large", "default", {
            requestConforms: false,
        });
    });

    describe("429 past the rate limit", () => {
        let limited: RunningEmulator;
        let limitedProxy: RecordingProxy;
        before(async () => {
            limited = await startEmulator({
                token: TOKEN,
                seed: 4,
                rateLimitPerHour: 1,
                fixture: { registries: [{ name: "acme" }] },
            });
            limitedProxy = await startProxy(limited.url);
        });
        after(async () => {
            await limitedProxy?.stop();
            await limited?.stop();
        });

        it("every operation answers 429 with Retry-After, ratelimit-remaining 0 and an error body", async () => {
            const first = await fetch(`${limitedProxy.url}/v2/registries`, {
                headers: { authorization: `Bearer ${TOKEN}` },
            });
            expect(first.status).to.equal(200);
            for (const [operationId, method, path, body] of EVERY_OPERATION) {
                const { exchanges } = await limitedProxy.during(async () => {
                    const res = await fetch(`${limitedProxy.url}${path.replace("REG", "acme")}`, {
                        method,
                        headers: {
                            authorization: `Bearer ${TOKEN}`,
                            ...(body === undefined ? {} : { "content-type": "application/json" }),
                        },
                        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
                    });
                    await res.arrayBuffer();
                });
                const ex = exchanges[0];
                expectError(ex, operationId, 429, "too_many_requests", "429");
                expect(Number(ex.responseHeaders["retry-after"])).to.be.greaterThan(0);
                expect(ex.responseHeaders["ratelimit-remaining"]).to.equal("0");
            }
        });
    });
});
