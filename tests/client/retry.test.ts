import { expect } from "chai";
import * as net from "node:net";
import { errorKind } from "../../provider/client";
import { backoffDelay, parseRateLimitReset, parseRetryAfter, type RetryPolicy } from "../../provider/client/retry";
import { apiError, caught, clientFor, delay, type FakeServer, json, startFakeServer, TOKEN } from "./fake-server";

const REGISTRY = { registry: { name: "acme", region: "fra1" } };

describe("client retry: policy helpers", () => {
    const policy: RetryPolicy = { maxAttempts: 5, maxRetryTimeMs: 60_000, baseDelayMs: 100, maxDelayMs: 1000 };

    it("backoff is full jitter under a doubling, capped ceiling", () => {
        expect(backoffDelay(1, policy, () => 0)).to.equal(0);
        expect(backoffDelay(1, policy, () => 0.999)).to.equal(99);
        expect(backoffDelay(2, policy, () => 0.999)).to.equal(199);
        expect(backoffDelay(3, policy, () => 0.999)).to.equal(399);
        expect(backoffDelay(10, policy, () => 0.999)).to.equal(999);
    });

    it("parses Retry-After as seconds or an HTTP date", () => {
        const now = Date.parse("2024-01-01T00:00:00Z");
        expect(parseRetryAfter("3", now)).to.equal(3000);
        expect(parseRetryAfter("0.5", now)).to.equal(500);
        expect(parseRetryAfter("Mon, 01 Jan 2024 00:00:07 GMT", now)).to.equal(7000);
        expect(parseRetryAfter("Sun, 31 Dec 2023 00:00:00 GMT", now)).to.equal(0);
        expect(parseRetryAfter("soon", now)).to.equal(undefined);
        expect(parseRetryAfter("-1", now)).to.equal(undefined); // Date.parse makes a year of it
        expect(parseRetryAfter(undefined, now)).to.equal(undefined);
    });

    it("uses ratelimit-reset only when ratelimit-remaining is 0", () => {
        const now = 1_700_000_000_000;
        expect(parseRateLimitReset("0", String(now / 1000 + 4), now)).to.equal(4000);
        expect(parseRateLimitReset("12", String(now / 1000 + 4), now)).to.equal(undefined);
        expect(parseRateLimitReset("0", "2", now)).to.equal(2000); // small values: delta seconds
        expect(parseRateLimitReset(undefined, "2", now)).to.equal(undefined);
    });
});

describe("client retry: against a throwaway server", () => {
    let server: FakeServer | undefined;
    afterEach(async () => server?.close());

    it("retries 503 for a GET and succeeds", async () => {
        server = await startFakeServer((_s, res, _r, n) =>
            n < 3 ? apiError(res, 503, "server_error", "busy") : json(res, 200, REGISTRY),
        );
        const logs: string[] = [];
        const registry = await clientFor(server.url, {
            logger: (level, m) => level === "warn" && logs.push(m),
        }).getRegistry("acme");
        expect(registry.name).to.equal("acme");
        expect(server.requests).to.have.length(3);
        expect(logs).to.have.length(2);
        expect(logs[0]).to.match(/registries_get: .*503.*attempt 1 of 5, retrying in \d+ ms/);
    });

    it("honours Retry-After (seconds) on 429", async () => {
        server = await startFakeServer((_s, res, _r, n) =>
            n === 1
                ? apiError(res, 429, "too_many_requests", "API rate limit exceeded.", { "retry-after": "1" })
                : json(res, 200, REGISTRY),
        );
        await clientFor(server.url).getRegistry("acme");
        expect(server.requests).to.have.length(2);
        expect(server.requests[1].at - server.requests[0].at).to.be.at.least(950);
    });

    it("honours ratelimit-reset on 429 when ratelimit-remaining is 0", async () => {
        let reset = 0;
        server = await startFakeServer((_s, res, _r, n) => {
            if (n > 1) return json(res, 200, REGISTRY);
            reset = Math.floor(Date.now() / 1000) + 2; // epoch seconds, at least 1 s ahead
            apiError(res, 429, "too_many_requests", "slow down", {
                "ratelimit-remaining": "0",
                "ratelimit-reset": String(reset),
            });
        });
        await clientFor(server.url).getRegistry("acme");
        expect(server.requests).to.have.length(2);
        expect(Date.now()).to.be.at.least(reset * 1000 - 5);
    });

    it("gives up at once when Retry-After exceeds the quota wait budget, saying so", async () => {
        server = await startFakeServer((_s, res) =>
            apiError(res, 429, "too_many_requests", "wait", { "retry-after": "120" }),
        );
        const started = Date.now();
        const err = await caught(() => clientFor(server!.url, { maxQuotaWaitMs: 2000 }).getRegistry("acme"));
        expect(Date.now() - started).to.be.below(1000);
        expect(errorKind(err)).to.equal("rate_limited");
        expect(server.requests).to.have.length(1);
        expect(err.message).to.match(/gave up after 1 attempt: .*2000 ms quota wait budget \(maxQuotaWaitMs/);
        expect(err.retryAfterMs).to.equal(120_000);
    });

    it("is bounded by maxAttempts and reports the attempts made", async () => {
        server = await startFakeServer((_s, res) => apiError(res, 500, "server_error", "down"));
        const err = await caught(() => clientFor(server!.url, { maxAttempts: 3 }).getRegistry("acme"));
        expect(server.requests).to.have.length(3);
        expect(err.attempts).to.equal(3);
        expect(err.message).to.include("gave up after 3 attempts");
    });

    it("is bounded by maxRetryTimeMs: never sleeps past the budget", async () => {
        server = await startFakeServer((_s, res) => apiError(res, 503, "server_error", "down"));
        const started = Date.now();
        const err = await caught(() =>
            clientFor(server!.url, {
                maxAttempts: 100,
                retryBaseDelayMs: 100,
                retryMaxDelayMs: 100,
                maxRetryTimeMs: 400,
            }).getRegistry("acme"),
        );
        // Without the budget, 100 attempts at up to 100 ms each would take seconds.
        expect(Date.now() - started).to.be.below(2000);
        expect(server.requests.length).to.be.within(2, 40);
        expect(err.message).to.match(/gave up after \d+ attempts/);
    });

    it("retries a dropped connection (socket destroyed) for a GET", async () => {
        server = await startFakeServer((_s, res, req, n) =>
            n === 1 ? req.socket.destroy() : json(res, 200, REGISTRY),
        );
        expect((await clientFor(server.url).getRegistry("acme")).name).to.equal("acme");
        expect(server.requests).to.have.length(2);
    });

    it("retries a response cut off mid-body", async () => {
        server = await startFakeServer((_s, res, req, n) => {
            if (n > 1) return json(res, 200, REGISTRY);
            res.writeHead(200, { "content-type": "application/json", "content-length": "500" });
            res.write('{"registry": {"na');
            setTimeout(() => req.socket.destroy(), 20);
        });
        expect((await clientFor(server.url).getRegistry("acme")).name).to.equal("acme");
        expect(server.requests).to.have.length(2);
    });

    it("retries ECONNREFUSED for a GET, then fails as a network error", async () => {
        const port = await freePort();
        const warns: string[] = [];
        const err = await caught(() =>
            clientFor(`http://127.0.0.1:${port}`, {
                maxAttempts: 3,
                logger: (l, m) => l === "warn" && warns.push(m),
            }).getRegistry("acme"),
        );
        expect(errorKind(err)).to.equal("network");
        expect(err.code).to.equal("ECONNREFUSED");
        expect(err.attempts).to.equal(3);
        expect(warns).to.have.length(2);
    });

    it("times out a slow response (timeoutMs) and retries it", async () => {
        server = await startFakeServer((_s, res, _r, n) => {
            if (n === 1) return; // never answers
            json(res, 200, REGISTRY);
        });
        const started = Date.now();
        expect((await clientFor(server.url, { timeoutMs: 150 }).getRegistry("acme")).name).to.equal("acme");
        expect(server.requests).to.have.length(2);
        expect(Date.now() - started).to.be.at.least(140);
    });

    it("the timeout covers a body that trickles (not just an idle socket)", async () => {
        server = await startFakeServer(async (_s, res) => {
            res.writeHead(200, { "content-type": "application/json" });
            for (let i = 0; i < 40 && !res.destroyed; i++) {
                res.write(" ");
                await delay(20);
            }
            res.end(JSON.stringify(REGISTRY));
        });
        const err = await caught(() => clientFor(server!.url, { timeoutMs: 200, maxAttempts: 2 }).getRegistry("acme"));
        expect(errorKind(err)).to.equal("timeout");
        expect(err.message).to.include("within 200 ms");
        expect(server.requests).to.have.length(2);
    });

    it("never retries registries_create: 503, dropped connection, timeout", async () => {
        for (const failure of ["503", "drop", "hang"] as const) {
            server = await startFakeServer((_s, res, req) => {
                if (failure === "503") apiError(res, 503, "server_error", "busy");
                else if (failure === "drop") req.socket.destroy();
            });
            const err = await caught(() =>
                clientFor(server!.url, { timeoutMs: 150 }).createRegistry({
                    name: "acme",
                    region: "fra1",
                    subscription_tier_slug: "basic",
                }),
            );
            expect(server.requests, failure).to.have.length(1);
            expect(err.message).to.include("not retried automatically: registries_create is not idempotent");
            expect(err.attempts).to.equal(1);
            await server.close();
            server = undefined;
        }
    });

    it("retries a create refused with 429 (the server did not act), honouring Retry-After", async () => {
        server = await startFakeServer((_s, res, _r, n) => {
            if (n === 1) {
                res.setHeader("Retry-After", "0");
                apiError(res, 429, "too_many_requests", "slow down");
            } else json(res, 201, REGISTRY);
        });
        const created = await clientFor(server.url).createRegistry({
            name: "acme",
            region: "fra1",
            subscription_tier_slug: "basic",
        });
        expect(created.name).to.equal("acme");
        expect(server.requests).to.have.length(2);
    });

    it("never retries registries_run_garbageCollection", async () => {
        server = await startFakeServer((_s, res) => apiError(res, 500, "server_error", "busy"));
        const err = await caught(() => clientFor(server!.url).startGarbageCollection("acme"));
        expect(errorKind(err)).to.equal("server_error");
        expect(server.requests).to.have.length(1);
    });

    it("retries the idempotent POSTs (update subscription, validate name)", async () => {
        server = await startFakeServer((seen, res, _r, n) => {
            if (n % 2 === 1) return apiError(res, 502, "bad_gateway", "flaky");
            if (seen.url.endsWith("validate-name")) {
                res.statusCode = 204;
                return res.end();
            }
            json(res, 200, { subscription: { tier: { slug: "basic" } } });
        });
        const client = clientFor(server.url);
        expect((await client.updateSubscription("basic")).tier.slug).to.equal("basic");
        expect(await client.validateName("acme")).to.equal(true);
        expect(server.requests.map((r) => r.method)).to.deep.equal(["POST", "POST", "POST", "POST"]);
    });

    it("does not retry 4xx other than 429", async () => {
        server = await startFakeServer((_s, res) => apiError(res, 412, "precondition_failed", "not eligible"));
        const err = await caught(() => clientFor(server!.url).updateSubscription("starter"));
        expect(errorKind(err)).to.equal("precondition_failed");
        expect(server.requests).to.have.length(1);
    });

    it("malformed JSON is a malformed_response naming the operation; not retried", async () => {
        server = await startFakeServer((_s, res) => {
            res.writeHead(200, { "content-type": "application/json" });
            res.end('{"registry": {"name": "acme"');
        });
        const err = await caught(() => clientFor(server!.url).getRegistry("acme"));
        expect(errorKind(err)).to.equal("malformed_response");
        expect(err.message).to.match(/^registries_get: malformed response: body is not valid JSON/);
        expect(server.requests).to.have.length(1);
    });

    it("a wrong field type is a malformed_response with the zod field path", async () => {
        server = await startFakeServer((_s, res) => json(res, 200, { registries: [{ name: "a" }, { name: 42 }] }));
        const err = await caught(() => clientFor(server!.url).listRegistries());
        expect(errorKind(err)).to.equal("malformed_response");
        expect(err.fieldPath).to.equal("registries[1].name");
        expect(err.message).to.include("registries_list: malformed response at registries[1].name");
    });

    it("is lenient on extra keys and nulls, strict on required ids", async () => {
        server = await startFakeServer((_s, res, _r, n) =>
            json(
                res,
                200,
                n === 1
                    ? { registry: { name: "acme", region: null, surprise: { nested: true } }, extra: 1 }
                    : { registry: { region: "fra1" } },
            ),
        );
        const client = clientFor(server.url);
        const registry = await client.getRegistry("acme");
        // A null member reads as absent (no key at all, so no `undefined` can reach the engine).
        expect(registry).to.deep.equal({ name: "acme" });
        const err = await caught(() => client.getRegistry("acme"));
        expect(err.fieldPath).to.equal("registry.name");
    });

    it("logs no token in any retry line", async () => {
        const logs: string[] = [];
        server = await startFakeServer((seen, res, req, n) => {
            if (n === 1) return req.socket.destroy();
            if (n === 2) return apiError(res, 503, "server_error", `echo ${seen.headers.authorization}`);
            json(res, 200, REGISTRY);
        });
        await clientFor(server.url, { logger: (l, m) => logs.push(`${l} ${m}`) }).getRegistry("acme");
        expect(logs.some((l) => l.startsWith("warn"))).to.equal(true);
        expect(logs.join("\n")).not.to.include(TOKEN);
    });
});

function freePort(): Promise<number> {
    return new Promise((resolve) => {
        const srv = net.createServer();
        srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address() as net.AddressInfo;
            srv.close(() => resolve(port));
        });
    });
}
