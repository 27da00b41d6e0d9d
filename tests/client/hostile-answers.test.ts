/**
 * Hostile answers, round two (issue 20): answers nested too deep to walk, tokens echoed in other
 * forms, control characters, 429s without a usable Retry-After, quota headers that lie, names that
 * are not the one asked for, listings that never stop bringing new items.
 */
import { expect } from "chai";
import { collect, errorKind } from "../../provider/client";
import { apiError, caught, clientFor, type FakeServer, json, startFakeServer, TOKEN } from "./fake-server";

/** `{"a":{"a":…}}`, `depth` levels deep, as text (JSON.stringify itself would overflow). */
function nested(depth: number): string {
    return `${'{"a":'.repeat(depth)}null${"}".repeat(depth)}`;
}

/** Every run of ten characters of the token, and the text with separators and case taken out. */
function leaksOf(text: string): string[] {
    const folded = text.toLowerCase().replace(/[^a-z0-9]/g, "");
    const token = TOKEN.toLowerCase().replace(/[^a-z0-9]/g, "");
    const leaks: string[] = [];
    for (let at = 0; at + 10 <= token.length; at++) {
        if (folded.includes(token.slice(at, at + 10))) leaks.push(token.slice(at, at + 10));
    }
    return leaks;
}

describe("client against hostile answers, round two", function () {
    this.timeout(60_000);
    let server: FakeServer | undefined;
    afterEach(async () => {
        await server?.close();
        server = undefined;
    });

    describe("an answer nested ten thousand levels deep", function () {
        it("in a member nobody reads: the answer is read", async () => {
            server = await startFakeServer((_seen, res) => {
                res.writeHead(200, { "content-type": "application/json" });
                res.end(`{"registries":[{"name":"acme"}],"deep":${nested(10_000)}}`);
            });
            const found = await clientFor(server.url).listRegistries();
            expect(found.map((r) => r.name)).to.deep.equal(["acme"]);
        });

        it("in an error body: a typed server_error", async () => {
            server = await startFakeServer((_seen, res) => {
                res.writeHead(500, { "content-type": "application/json" });
                res.end(`{"id":"server_error","message":"boom","deep":${nested(10_000)}}`);
            });
            const err = await caught(() => clientFor(server!.url, { maxAttempts: 1 }).listRegistries());
            expect(errorKind(err), err.message).to.equal("server_error");
            expect(err.message).to.match(/^registries_list: the API failed: boom/);
        });

        it("on a create, where the registry should be: a malformed_response (outcome unknown) with when it was sent", async () => {
            server = await startFakeServer((_seen, res) => {
                res.writeHead(201, { "content-type": "application/json" });
                res.end(`{"registry":${nested(10_000)}}`);
            });
            const err = await caught(() => clientFor(server!.url).createRegistry({ name: "acme" }));
            expect(errorKind(err), err.message).to.equal("malformed_response");
            expect(err.message).to.match(/^registries_create: malformed response at registry.name/);
            expect(err.sentAt).to.be.a("number");
        });
    });

    describe("listings that keep bringing new items", function () {
        /** Items `p<n>-0..count-1` and a link to the page after. */
        function page(n: number, count: number, link: string) {
            return { items: Array.from({ length: count }, (_, i) => `p${n}-${i}`), next: `https://h/x?${link}` };
        }

        it("numbered next links with no size announced stop after 100 pages, saying so", async () => {
            server = await startFakeServer((seen, res) => {
                const n = Number(new URL(seen.url, "http://x").searchParams.get("page") ?? "1");
                const p = page(n, 5, `page=${n + 1}`);
                json(res, 200, { tags: p.items.map((tag) => ({ tag })), links: { pages: { next: p.next } } });
            });
            const err = await caught(() =>
                collect(clientFor(server!.url, { maxListTimeMs: 60_000 }).listTags("acme", "app")),
            );
            expect(err.message).to.match(
                /registries_list_repositoryTags: .*page 100 still links a next page; page 1 announced no size .*stops after 100 pages/,
            );
            expect(server.requests).to.have.length(100);
        });

        for (const meta of [undefined, { total: 400 }]) {
            it(`page_token links to ever new pages ${meta ? "past meta.total" : "with no size announced"} stop within a bound`, async () => {
                let n = 0;
                server = await startFakeServer((_seen, res) => {
                    n++;
                    const p = page(n, 200, `page_token=t${n}`);
                    json(res, 200, {
                        repositories: p.items.map((name) => ({ name })),
                        links: { pages: { next: p.next } },
                        ...(meta ? { meta } : {}),
                    });
                });
                const err = await caught(() =>
                    collect(clientFor(server!.url, { maxListTimeMs: 60_000 }).listRepositories("acme")),
                );
                expect(err.message).to.match(
                    meta
                        ? /page 4 still links a next page, but page 1 said there are 400 item\(s\)/
                        : /page 100 still links a next page; page 1 announced no size/,
                );
                expect(server.requests).to.have.length(meta ? 4 : 100);
            });
        }
    });

    describe("one answer that lies about the quota", function () {
        const hour = 3_600_000;
        for (const [what, headers] of [
            ["a reset ten hours out", () => ({ "ratelimit-reset": String(Math.floor(Date.now() / 1000) + 36_000) })],
            [
                "a Date far in the past",
                () => ({
                    "ratelimit-reset": String(Math.floor(Date.now() / 1000) + 60),
                    date: new Date(86_400_000).toUTCString(),
                }),
            ],
        ] as const) {
            it(`(${what}, nothing left) is bounded by the hour, and the next call asks the API, whose answer wins`, async () => {
                server = await startFakeServer((_seen, res, _req, n) =>
                    json(
                        res,
                        200,
                        { registries: [] },
                        n === 1
                            ? { "ratelimit-limit": "5000", "ratelimit-remaining": "0", ...headers() }
                            : { "ratelimit-limit": "5000", "ratelimit-remaining": "4990" },
                    ),
                );
                const client = clientFor(server.url, { maxQuotaWaitMs: 1_000 });
                await client.listRegistries();
                expect(client.quota().resetAt).to.be.at.most(Date.now() + hour);
                const started = Date.now();
                expect(await client.listRegistries()).to.deep.equal([]);
                expect(Date.now() - started).to.be.below(1_500);
                expect(server.requests).to.have.length(2);
                expect(client.quota().remaining).to.equal(4990);
            });
        }
    });

    describe("an answer about another registry", function () {
        it('a garbage collection started on "acme" answered as "victim"\'s is a malformed_response', async () => {
            server = await startFakeServer((_seen, res) =>
                json(res, 201, {
                    garbage_collection: { uuid: "u-1", registry_name: "victim", status: "requested" },
                }),
            );
            const err = await caught(() => clientFor(server!.url).startGarbageCollection("acme"));
            expect(errorKind(err)).to.equal("malformed_response");
            expect(err.message).to.match(
                /^registries_run_garbageCollection: malformed response at garbage_collection.registry_name: the answer is about registry "victim", not "acme"/,
            );
        });

        it("getRegistry (what the data source calls) is a malformed_response naming both names", async () => {
            server = await startFakeServer((_seen, res) => json(res, 200, { registry: { name: "victim" } }));
            const err = await caught(() => clientFor(server!.url).getRegistry("acme"));
            expect(errorKind(err)).to.equal("malformed_response");
            expect(err.message).to.match(
                /^registries_get: malformed response at registry.name: the answer is about registry "victim", not "acme"/,
            );
        });
    });

    describe("the token echoed in another form", function () {
        const forms: [string, string][] = [
            ["base64 of the token", Buffer.from(TOKEN).toString("base64")],
            ["base64 of user:token", Buffer.from(`docker:${TOKEN}`).toString("base64")],
            ["base64 of a:token", Buffer.from(`ab:${TOKEN}`).toString("base64")],
            ["base64url of the token", Buffer.from(TOKEN).toString("base64url")],
            ["upper case", TOKEN.toUpperCase()],
            ["spaced out", [...TOKEN].join(" ")],
            ["dashed out", [...TOKEN].join("-")],
            ["its last 40 characters", TOKEN.slice(-40).replace(/^dop_v1_/, "")],
            ["ten characters from the middle", TOKEN.slice(12, 22)],
        ];
        for (const [what, echo] of forms) {
            it(`${what}: redacted from the message`, async () => {
                server = await startFakeServer((_seen, res) =>
                    apiError(res, 400, "bad_request", `you sent "${echo}", which we reject`),
                );
                const err = await caught(() => clientFor(server!.url).listRegistries());
                expect(err.message).to.include("[REDACTED]");
                expect(leaksOf(err.message), err.message).to.deep.equal([]);
                const b64 = Buffer.from(echo).toString("base64");
                expect(err.message).not.to.include(b64.slice(4, 20));
                if (what.startsWith("base64")) expect(err.message).not.to.include(echo.slice(8, 18));
            });
        }

        it("ordinary text around it stays readable", async () => {
            server = await startFakeServer((_seen, res) =>
                apiError(res, 400, "bad_request", `registry name "acme-prod-eu" rejected; token ${TOKEN} ok`),
            );
            const err = await caught(() => clientFor(server!.url).listRegistries());
            expect(err.message).to.include('registry name "acme-prod-eu" rejected; token [REDACTED] ok');
        });
    });

    describe("a 429 without a usable Retry-After", function () {
        for (const retryAfter of [undefined, "-1", "soon", "0"]) {
            it(`(${retryAfter ?? "none"}) backs off exponentially within the quota wait budget`, async () => {
                server = await startFakeServer((_seen, res) =>
                    apiError(
                        res,
                        429,
                        "too_many_requests",
                        "slow down",
                        retryAfter === undefined ? {} : { "retry-after": retryAfter },
                    ),
                );
                const started = Date.now();
                const err = await caught(() =>
                    clientFor(server!.url, { retryBaseDelayMs: 50, maxQuotaWaitMs: 3_000 }).listRegistries(),
                );
                expect(errorKind(err)).to.equal("rate_limited");
                expect(err.message).to.match(/would exceed the 3000 ms quota wait budget/);
                expect(Date.now() - started).to.be.below(3_500);
                const gaps = server.requests.slice(1).map((r, i) => r.at - server!.requests[i].at);
                // Every 250 ms for 3 s would be 12 requests; doubling waits from 250-500 ms make 5 to 7.
                expect(server.requests.length, `gaps ${gaps.join(", ")} ms`).to.be.within(3, 7);
                expect(gaps.at(-1), `gaps ${gaps.join(", ")} ms`).to.be.at.least(400);
            });
        }
    });

    describe("control characters", function () {
        it("from the server (ANSI, CR/LF, OSC-8, right-to-left override) are written out, not passed raw", async () => {
            const hostile =
                "\u001b[2J\u001b[31mowned\u001b[0m\r\nINFO fake line\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007 \u202egnp.exe";
            server = await startFakeServer((_seen, res) =>
                apiError(res, 422, "unprocessable_entity", hostile, {}, "r\u001b[1m1"),
            );
            const err = await caught(() => clientFor(server!.url).listRegistries());
            // eslint-disable-next-line no-control-regex -- what is looked for is control characters
            expect(err.message).not.to.match(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
            expect(err.message).to.include("\\u001b[31mowned");
            expect(err.message).to.include("\\u000d\\u000aINFO fake line");
            expect(err.message).to.include("\\u202egnp.exe");
        });

        it("in a repository name a user passed are written out in the message", async () => {
            server = await startFakeServer((_seen, res) => apiError(res, 404, "not_found", "no such repository"));
            const err = await caught(() => collect(clientFor(server!.url).listTags("acme", "app\u001b[2J\r\nevil")));
            expect(errorKind(err)).to.equal("not_found");
            // eslint-disable-next-line no-control-regex -- what is looked for is control characters
            expect(err.message).not.to.match(/[\u0000-\u001f]/);
            expect(err.message).to.include("app\\u001b[2J\\u000d\\u000aevil");
        });
    });
});
