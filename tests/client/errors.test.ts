import { expect } from "chai";
import { inspect } from "node:util";
import { createDocrError, DocrError, errorKind, isDocrError, NotFoundError, redact } from "../../provider/client";
import { apiError, caught, clientFor, type FakeServer, json, startFakeServer, TOKEN } from "./fake-server";

function leaks(value: unknown): boolean {
    const err = value as Error;
    const texts = [
        err.message,
        err.stack ?? "",
        JSON.stringify(value),
        inspect(value, { depth: 10, showHidden: true }),
    ];
    return texts.some((t) => t.includes(TOKEN) || t.includes(TOKEN.slice(8)));
}

describe("client errors: kinds, messages, scrubbing", () => {
    let server: FakeServer | undefined;
    afterEach(async () => server?.close());

    it("errorKind works by marker property, also on a structural copy (serialized class)", () => {
        const err = createDocrError({ kind: "not_found", operation: "registries_get", subject: 'registry "acme"' });
        expect(errorKind(err)).to.equal("not_found");
        expect(err).to.be.instanceOf(NotFoundError).and.instanceOf(DocrError);
        const copy = { ...err }; // what survives when class identity is lost
        expect(copy instanceof DocrError).to.equal(false);
        expect(errorKind(copy)).to.equal("not_found");
        expect(isDocrError(copy)).to.equal(true);
        expect(errorKind(new Error("plain"))).to.equal(undefined);
        expect(errorKind({ kind: "not_found" })).to.equal(undefined);
        expect(errorKind(null)).to.equal(undefined);
    });

    it("sets message and name as own properties (not only via super)", () => {
        const err = createDocrError({ kind: "conflict", operation: "registries_create", apiMessage: "taken" });
        expect(Object.getOwnPropertyNames(err)).to.include.members([
            "message",
            "name",
            "kind",
            "operation",
            "isDocrError",
        ]);
        expect(err.name).to.equal("ConflictError");
        expect(err.message).to.equal("registries_create: taken");
    });

    const cases: Array<[number, string, string]> = [
        [400, "bad_request", "BadRequestError"],
        [401, "unauthorized", "UnauthorizedError"],
        [403, "forbidden", "ForbiddenError"],
        [404, "not_found", "NotFoundError"],
        [409, "conflict", "ConflictError"],
        [412, "precondition_failed", "PreconditionFailedError"],
        [422, "unprocessable", "UnprocessableError"],
        [429, "rate_limited", "RateLimitedError"],
        [500, "server_error", "ServerError"],
        [503, "server_error", "ServerError"],
        [418, "bad_request", "BadRequestError"],
    ];
    for (const [status, kind, name] of cases) {
        it(`maps HTTP ${status} to kind ${kind} (${name}) with status, apiId, apiMessage, requestId, operation`, async () => {
            server = await startFakeServer((_s, res) =>
                apiError(res, status, `id_${status}`, `message ${status}`, {}, `req-${status}`),
            );
            // A 429 is not one of maxAttempts: it waits against maxQuotaWaitMs, here none.
            const err = await caught(() =>
                clientFor(server!.url, { maxAttempts: 1, maxQuotaWaitMs: 0 }).getRegistry("acme"),
            );
            expect(errorKind(err)).to.equal(kind);
            expect(err.name).to.equal(name);
            expect(err).to.include({
                status,
                apiId: `id_${status}`,
                requestId: `req-${status}`,
                operation: "registries_get",
            });
            expect(err.message).to.match(/^registries_get: /);
            expect(err.message).to.include(`(${status} id_${status}, request req-${status})`);
        });
    }

    it('reads well: registries_get: registry "acme" not found (404 not_found, request …)', async () => {
        server = await startFakeServer((_s, res) =>
            apiError(res, 404, "not_found", "The resource you requested could not be found.", {}, "4d9d8375-3c56"),
        );
        const err = await caught(() => clientFor(server!.url).getRegistry("acme"));
        expect(err.message).to.equal(
            'registries_get: registry "acme" not found (404 not_found, request 4d9d8375-3c56)',
        );
        expect(server.requests).to.have.length(1); // 404 is not retried
    });

    it("401 explains where the token comes from, without the token", async () => {
        server = await startFakeServer((_s, res) => apiError(res, 401, "unauthorized", "Unable to authenticate you."));
        const err = await caught(() => clientFor(server!.url).listRegistries());
        expect(err.message).to.include("DIGITALOCEAN_TOKEN").and.not.include("digitalocean:token"); // the client knows nothing of Pulumi
        expect(leaks(err)).to.equal(false);
    });

    it("a non-JSON error body (proxy page) still gives a typed error", async () => {
        server = await startFakeServer((_s, res) => {
            res.writeHead(502, { "content-type": "text/html" });
            res.end("<html>Bad Gateway</html>");
        });
        const err = await caught(() => clientFor(server!.url, { maxAttempts: 1 }).getSubscription());
        expect(errorKind(err)).to.equal("server_error");
        expect(err.message).to.include("502").and.include("Bad Gateway");
    });

    it("scrubs a token that the server echoes back, from message, apiMessage, stack and logs", async () => {
        const logs: string[] = [];
        server = await startFakeServer((seen, res) =>
            apiError(res, 503, "server_error", `cannot use ${seen.headers.authorization}`, {}, "r1"),
        );
        const err = await caught(() =>
            clientFor(server!.url, { maxAttempts: 2, logger: (_l, m) => logs.push(m) }).getRegistry("acme"),
        );
        expect(server.requests[0].headers.authorization).to.equal(`Bearer ${TOKEN}`); // it was sent...
        expect(leaks(err)).to.equal(false); // ...and never comes back out
        expect(String(err.apiMessage)).to.include("[REDACTED]");
        expect(logs.length).to.be.greaterThan(0);
        expect(logs.join("\n")).not.to.include(TOKEN);
    });

    it("transport errors carry no axios internals (config, request, headers, cause)", async () => {
        server = await startFakeServer((_s, res) => res.socket?.destroy());
        const err = await caught(() => clientFor(server!.url, { maxAttempts: 1 }).getRegistry("acme"));
        expect(errorKind(err)).to.equal("network");
        for (const key of ["cause", "config", "request", "response", "headers"]) expect(err).not.to.have.property(key);
        expect(leaks(err)).to.equal(false);
    });

    it("redact removes given secrets, bearer values and DigitalOcean-shaped tokens", () => {
        expect(redact("x my-secret y", ["my-secret"])).to.equal("x [REDACTED] y");
        expect(redact("Authorization: Bearer abc.def")).to.equal("Authorization: Bearer [REDACTED]");
        expect(redact("token dop_v1_0123abcd here")).to.equal("token [REDACTED] here");
    });

    it("redact of a short secret replaces whole words only (messages stay readable)", () => {
        expect(redact('registries_get: registry "t" not found', ["t"])).to.equal(
            'registries_get: registry "[REDACTED]" not found',
        );
        expect(redact("abc xabc abc-d", ["abc"])).to.equal("[REDACTED] xabc abc-d");
    });

    it("an argument that cannot be a path segment is rejected before any request", async () => {
        server = await startFakeServer((_s, res) => json(res, 200, {}));
        for (const bad of ["", ".", ".."]) {
            const err = await caught(() => clientFor(server!.url).getRegistry(bad));
            expect(errorKind(err)).to.equal("bad_request");
            expect(err.message).to.match(/^registries_get: invalid registry_name/);
        }
        expect(server.requests).to.have.length(0);
    });
});
