import { expect } from "chai";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { DocrClient, errorKind } from "../../provider/client";
import { checkRequest, checkResponse, failures, loadContract, type Contract } from "./contract";
import { startProxy, type Exchange, type RecordingProxy } from "./proxy";

const RATE = { "ratelimit-limit": "250", "ratelimit-remaining": "249", "ratelimit-reset": "1700000000" };

function request(method: string, url: string, body?: unknown, contentType = "application/json"): Exchange {
    return {
        method,
        url,
        requestHeaders: body === undefined ? {} : { "content-type": contentType },
        requestBody: body === undefined ? "" : JSON.stringify(body),
        status: 200,
        responseHeaders: {},
        responseBody: "",
    };
}

/** The checks reject what does not conform: the suite can fail. */
describe("contract: the validator rejects non-conforming requests and responses", function () {
    let contract: Contract;
    before(async () => {
        contract = await loadContract();
    });

    const responseErrors = (op: string, status: number, body: unknown, headers: Record<string, string> = RATE) =>
        checkResponse(contract, op, status, body === undefined ? "" : JSON.stringify(body), headers).errors;

    it("accepts a conforming response (the baseline the rejections below differ from)", () => {
        expect(
            responseErrors("registries_get", 200, {
                registry: { name: "acme", created_at: "2024-01-01T00:00:00Z", region: "fra1" },
            }),
        ).to.deep.equal([]);
        expect(responseErrors("registries_delete", 204, undefined)).to.deep.equal([]);
    });

    it("rejects a response body with a wrong field type, a bad date-time, an out-of-enum status", () => {
        expect(responseErrors("registries_get", 200, { registry: { name: 5 } }).join()).to.match(
            /registry\/name must be string/,
        );
        expect(
            responseErrors("registries_get", 200, { registry: { name: "acme", created_at: "yesterday" } }).join(),
        ).to.match(/created_at must match format "date-time"/);
        expect(
            responseErrors("registries_get_garbageCollection", 200, {
                garbage_collection: { status: "exploded" },
            }).join(),
        ).to.match(/status must be equal to one of the allowed values/);
        expect(responseErrors("registries_list_repositoryTags", 200, { tags: [], links: {} }).join()).to.match(
            /must have required property 'meta'/,
        );
    });

    it("rejects error bodies without id, message or request_id, and a 204 with a body", () => {
        expect(responseErrors("registries_get", 404, { message: "gone", request_id: "r" }).join()).to.match(
            /required property 'id'/,
        );
        expect(responseErrors("registries_get", 404, { id: "not_found", message: "gone" }).join()).to.match(
            /no request_id/,
        );
        expect(responseErrors("registries_delete", 204, { deleted: true }).join()).to.match(/must be null/);
    });

    it("rejects responses without the declared ratelimit-* headers, or with non-integer ones", () => {
        expect(responseErrors("registries_delete", 204, undefined, {}).join()).to.match(/ratelimit-limit/);
        expect(
            responseErrors("registries_delete", 204, undefined, { ...RATE, "ratelimit-remaining": "lots" }).join(),
        ).to.match(/ratelimit-remaining must be integer/);
    });

    it("rejects requests: out-of-range per_page, an undeclared query parameter, a body where none is declared, a body missing a required field, a wrong content type", () => {
        const errs = (ex: Exchange) => checkRequest(contract, ex).errors.join(" | ");
        expect(errs(request("GET", "/v2/registries/acme/repositories/x/tags?per_page=500&page=1"))).to.match(
            /per_page must be <= 200/,
        );
        expect(errs(request("GET", "/v2/registries/acme/repositories/x/tags?per_page=20&page=0"))).to.match(
            /page must be >= 1/,
        );
        expect(errs(request("GET", "/v2/registries/acme?verbose=1"))).to.match(/additional properties.*verbose/);
        expect(errs(request("DELETE", "/v2/registries/acme", { force: true }))).to.match(/declares no request body/);
        expect(errs(request("POST", "/v2/registries", { region: "fra1" }))).to.match(/required property 'name'/);
        expect(errs(request("POST", "/v2/registries", { name: "UPPER" }))).to.match(/name must match pattern/);
        expect(errs(request("POST", "/v2/registries/subscription", { tier_slug: "gold" }))).to.match(
            /tier_slug must be equal to one of the allowed values/,
        );
        expect(errs(request("POST", "/v2/registries/validate-name", { name: "ok" }, "text/plain"))).to.match(
            /the spec takes application\/json/,
        );
        expect(errs(request("GET", "/v2/registry-typo"))).to.match(/no operation in the spec/);
    });

    describe("end to end: an emulator answering off-contract is caught", () => {
        let emu: RunningEmulator;
        let proxy: RecordingProxy;
        before(async () => {
            emu = await startEmulator({
                seed: 1,
                rateLimitPerMinute: 0,
                fixture: { registries: [{ name: "acme" }] },
                faults: [
                    { operationId: "registries_get", malformedBody: "schema" },
                    { operationId: "registries_get_options", malformedBody: "json" },
                ],
            });
            proxy = await startProxy(emu.url);
        });
        after(async () => {
            await proxy?.stop();
            await emu?.stop();
        });

        it("a wrong field type and an unparseable body both fail the response check", async () => {
            const client = new DocrClient({
                token: emu.token,
                apiUrl: proxy.url,
                maxAttempts: 1,
                maxRequestsPerMinute: 1_000_000,
            });
            const { exchanges } = await proxy.during(async () => {
                expect(errorKind(await client.getRegistry("acme").catch((e: unknown) => e))).to.equal(
                    "malformed_response",
                );
                expect(errorKind(await client.getOptions().catch((e: unknown) => e))).to.equal("malformed_response");
            });
            const found = failures(contract, exchanges);
            expect(found.some((f) => f.includes("registries_get)") && f.includes("response: body"))).to.equal(
                true,
                found.join("\n"),
            );
            expect(found.some((f) => f.includes("registries_get_options") && f.includes("not JSON"))).to.equal(
                true,
                found.join("\n"),
            );
            // The requests themselves were fine: only responses are blamed.
            expect(found.filter((f) => f.includes(" request: "))).to.deep.equal([]);
        });
    });
});
