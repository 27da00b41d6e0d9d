/**
 * Broken and hostile answers (issue 13): bodies of the wrong shape, bodies too large to hold,
 * listings that never end, tokens echoed back, proxies that refuse, names that cannot be encoded.
 */
import { expect } from "chai";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { gzipSync } from "node:zlib";
import { collect, DocrClient, errorKind } from "../../provider/client";
import { MAX_RESPONSE_BYTES } from "../../provider/client/http";
import { apiError, caught, clientFor, type FakeServer, json, startFakeServer, TOKEN } from "./fake-server";

/** The `page` query of a request (1 when absent). */
function pageOf(url: string): number {
    return Number(new URL(url, "http://x").searchParams.get("page") ?? "1");
}

function tags(prefix: string, count: number) {
    return Array.from({ length: count }, (_, i) => ({ tag: `${prefix}-${i}` }));
}

describe("client against broken and hostile answers", function () {
    this.timeout(60_000);
    let server: FakeServer | undefined;
    afterEach(async () => {
        await server?.close();
        server = undefined;
    });

    describe("a 200 that is not the documented shape is an error, never an empty list", function () {
        for (const body of [{}, { registries: null }, { status: "maintenance" }]) {
            it(`listRegistries on ${JSON.stringify(body)}`, async () => {
                server = await startFakeServer((_seen, res) => json(res, 200, body));
                const err = await caught(() => clientFor(server!.url).listRegistries());
                expect(errorKind(err)).to.equal("malformed_response");
                expect(err.message).to.match(/registries_list: malformed response at registries/);
            });
        }

        for (const [operation, list] of [
            ["registries_list_repositoryTags", (c: DocrClient) => collect(c.listTags("acme", "app"))],
            ["registries_list_repositoryManifests", (c: DocrClient) => collect(c.listManifests("acme", "app"))],
            ["registries_list_repositoriesV2", (c: DocrClient) => collect(c.listRepositories("acme"))],
            ["registries_list_garbageCollections", (c: DocrClient) => collect(c.listGarbageCollections("acme"))],
        ] as const) {
            it(`${operation} on a page without its array`, async () => {
                server = await startFakeServer((_seen, res) => json(res, 200, { meta: { total: 0 } }));
                const err = await caught(() => list(clientFor(server!.url)));
                expect(errorKind(err)).to.equal("malformed_response");
                expect(err.operation).to.equal(operation);
            });
        }

        it("an empty array is still an empty list", async () => {
            server = await startFakeServer((_seen, res) => json(res, 200, { registries: [] }));
            expect(await clientFor(server.url).listRegistries()).to.deep.equal([]);
        });
    });

    describe("response size", function () {
        it("refuses a body larger than the cap, naming the operation, without retrying", async () => {
            const big = JSON.stringify({ registries: [{ name: "x".repeat(MAX_RESPONSE_BYTES + 10) }] });
            server = await startFakeServer((_seen, res) => {
                res.writeHead(200, { "content-type": "application/json" });
                res.end(big);
            });
            const err = await caught(() => clientFor(server!.url).listRegistries());
            expect(errorKind(err)).to.equal("malformed_response");
            expect(err.message).to.match(/^registries_list: .*exceeds 8388608 bytes decoded/);
            expect(server.requests).to.have.length(1);
        });

        it("stops inflating a gzip bomb at the cap: the process survives with bounded memory", async () => {
            // 256 MB of spaces is a quarter of a megabyte gzipped: what counts is the decoded size.
            const bomb = gzipSync(Buffer.alloc(256 * 1024 * 1024, 0x20));
            server = await startFakeServer((_seen, res) => {
                res.writeHead(200, {
                    "content-type": "application/json",
                    "content-encoding": "gzip",
                    "content-length": String(bomb.length),
                });
                res.end(bomb);
            });
            const before = process.memoryUsage().rss;
            const err = await caught(() => clientFor(server!.url).listRegistries());
            const grown = process.memoryUsage().rss - before;
            expect(errorKind(err)).to.equal("malformed_response");
            expect(err.message).to.match(/exceeds 8388608 bytes decoded/);
            expect(grown, "RSS growth while reading the bomb").to.be.below(100 * 1024 * 1024);
        });
    });

    describe("listings that never end", function () {
        it("a meta.total of 400,000 with one real item costs two requests", async () => {
            server = await startFakeServer((seen, res) => {
                const page = pageOf(seen.url);
                json(res, 200, { tags: page === 1 ? [{ tag: "only" }] : [], meta: { total: 400_000 } });
            });
            const found = await collect(clientFor(server.url).listTags("acme", "app"));
            expect(found.map((t) => t.tag)).to.deep.equal(["only"]);
            expect(server.requests).to.have.length(2);
        });

        it("a server ignoring the page asked for fails after one wave, naming what it did", async () => {
            server = await startFakeServer((_seen, res) =>
                json(res, 200, { tags: tags("same", 200), meta: { total: 400_000 } }),
            );
            const err = await caught(() =>
                collect(clientFor(server!.url, { pageConcurrency: 4 }).listTags("acme", "app")),
            );
            expect(errorKind(err)).to.equal("malformed_response");
            expect(err.message).to.match(/page 2 holds only items already read.*would never end/);
            expect(server.requests.length).to.be.at.most(1 + 4);
        });

        it("next links forever with new items stop past the claimed page count", async () => {
            server = await startFakeServer((seen, res) => {
                const page = pageOf(seen.url);
                json(res, 200, {
                    tags: tags(`p${page}`, 200),
                    meta: { total: 400 },
                    links: { pages: { next: `https://api.digitalocean.com/x?page=${page + 1}` } },
                });
            });
            const err = await caught(() => collect(clientFor(server!.url).listTags("acme", "app")));
            expect(err.message).to.match(/still links a next page, but page 1 said there are 2 \(meta.total 400\)/);
            expect(server.requests.length).to.be.at.most(6);
        });

        it("next links forever repeating items stop at the first page of nothing new", async () => {
            server = await startFakeServer((seen, res) => {
                const page = pageOf(seen.url);
                json(res, 200, {
                    tags: tags("same", 3),
                    links: { pages: { next: `https://api.digitalocean.com/x?page=${page + 1}` } },
                });
            });
            const err = await caught(() => collect(clientFor(server!.url).listTags("acme", "app")));
            expect(err.message).to.match(/page 2 holds only items already read/);
            expect(server.requests).to.have.length(2);
        });

        it("next links forever with new items and no meta stop at the listing deadline", async () => {
            server = await startFakeServer((seen, res) => {
                const page = pageOf(seen.url);
                setTimeout(
                    () =>
                        json(res, 200, {
                            tags: tags(`p${page}`, 5),
                            links: { pages: { next: `https://h/x?page=${page + 1}` } },
                        }),
                    20,
                );
            });
            const started = Date.now();
            const err = await caught(() =>
                collect(clientFor(server!.url, { maxListTimeMs: 300 }).listTags("acme", "app")),
            );
            expect(err.message).to.match(
                /still listing after 0\.\d s, about to ask for page \d+ \(limit 0\.3 s, the client option maxListTimeMs\)/,
            );
            expect(Date.now() - started).to.be.below(2000);
            expect(server.requests.length).to.be.below(30);
        });

        it("page_token forever with new tokens and new items stops at the deadline; repeated items stop at once", async () => {
            let n = 0;
            server = await startFakeServer((_seen, res) => {
                n++;
                setTimeout(
                    () =>
                        json(res, 200, {
                            repositories: [{ name: `r${n}` }],
                            links: { pages: { next: `https://h/x?page_token=t${n}` } },
                        }),
                    20,
                );
            });
            const err = await caught(() =>
                collect(clientFor(server!.url, { maxListTimeMs: 300 }).listRepositories("acme")),
            );
            expect(err.message).to.match(/registries_list_repositoriesV2: .*still listing after/);
            expect(server.requests.length).to.be.below(30);
            await server.close();

            let m = 0;
            server = await startFakeServer((_seen, res) => {
                m++;
                json(res, 200, {
                    repositories: [{ name: "same" }],
                    links: { pages: { next: `https://h/x?page_token=t${m}` } },
                });
            });
            const again = await caught(() => collect(clientFor(server!.url).listRepositories("acme")));
            expect(again.message).to.match(/page 2 holds only items already read/);
            expect(server.requests).to.have.length(2);
        });
    });

    describe("the token", function () {
        it("an echoed token is redacted before the message is cut, wherever the cut falls", async () => {
            for (let pad = 480; pad <= 500; pad += 4) {
                const message = `${"x".repeat(pad)}${TOKEN} more`;
                server = await startFakeServer((_seen, res) => apiError(res, 400, "bad_request", message));
                const err = await caught(() => clientFor(server!.url).listRegistries());
                for (let len = 10; len <= TOKEN.length; len++) {
                    for (let at = 0; at + len <= TOKEN.length; at += 7)
                        expect(err.message).not.to.include(TOKEN.slice(at, at + len));
                }
                await server.close();
                server = undefined;
            }
            // A body that is not the API's error shape is excerpted (120 characters) the same way.
            server = await startFakeServer((_seen, res) => {
                res.writeHead(502, { "content-type": "text/plain" });
                res.end(`${"y".repeat(100)}${TOKEN}`);
            });
            const excerpt = await caught(() => clientFor(server!.url, { maxAttempts: 1 }).listRegistries());
            expect(excerpt.message).to.include("[REDACTED]");
            expect(excerpt.message).not.to.include(TOKEN.slice(0, 10));
        });

        it("a DigitalOcean-shaped token glued to a word is redacted too", async () => {
            const other = "dop_v1_0123456789abcdef0123456789abcdef";
            server = await startFakeServer((_seen, res) => apiError(res, 400, "bad_request", `token${other} rejected`));
            const err = await caught(() => clientFor(server!.url).listRegistries());
            expect(err.message).not.to.include("0123456789abcdef");
        });

        it("util.inspect, even with showHidden and getters, never shows the token", () => {
            const client = clientFor("http://127.0.0.1:1");
            for (const options of [{}, { showHidden: true }, { showHidden: true, getters: true, depth: 10 }]) {
                expect(inspect(client, options)).not.to.include(TOKEN);
            }
            expect(JSON.stringify(client)).not.to.include(TOKEN);
        });
    });

    describe("a proxy's refusal", function () {
        let proxy: http.Server | undefined;
        const saved = {
            HTTPS_PROXY: process.env.HTTPS_PROXY,
            https_proxy: process.env.https_proxy,
            NO_PROXY: process.env.NO_PROXY,
            no_proxy: process.env.no_proxy,
        };
        afterEach(async () => {
            for (const [key, value] of Object.entries(saved)) {
                if (value === undefined) delete process.env[key];
                else process.env[key] = value;
            }
            if (proxy) await new Promise((resolve) => proxy!.close(resolve));
            proxy = undefined;
        });

        it("a 403 to CONNECT says the proxy refused, not that the token lacks a scope", async () => {
            const connects: string[] = [];
            proxy = http.createServer((_req, res) => res.end());
            proxy.on("connect", (req: http.IncomingMessage, socket) => {
                connects.push(req.url ?? "");
                socket.end(
                    "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 21\r\n\r\nblocked by policy 7.2",
                );
            });
            await new Promise<void>((resolve) => proxy!.listen(0, "127.0.0.1", resolve));
            const { port } = proxy.address() as AddressInfo;
            process.env.HTTPS_PROXY = `http://127.0.0.1:${port}`;
            delete process.env.https_proxy;
            process.env.NO_PROXY = "";
            delete process.env.no_proxy;
            const client = new DocrClient({ token: TOKEN, apiUrl: "https://api.docr-test.invalid", maxAttempts: 1 });
            const err = await caught(() => client.listRegistries());
            expect(connects).to.deep.equal(["api.docr-test.invalid:443"]);
            expect(errorKind(err)).to.equal("proxy");
            expect(err.message).to.match(
                /the proxy 127\.0\.0\.1:\d+ \(from HTTPS_PROXY \/ HTTP_PROXY\) refused the request with HTTP 403: blocked by policy 7\.2; the API did not see it/,
            );
            expect(err.message).not.to.match(/scope/);
        });
    });

    describe("names that cannot travel in a URL", function () {
        it("a lone surrogate in a repository name is a bad_request naming the parameter, before any request", async () => {
            server = await startFakeServer((_seen, res) => json(res, 200, { tags: [] }));
            const err = await caught(() => collect(clientFor(server!.url).listTags("acme", "app\ud800")));
            expect(errorKind(err)).to.equal("bad_request");
            expect(err.message).to.match(/repository_name .*unpaired UTF-16 surrogate/);
            expect(server.requests).to.have.length(0);
        });
    });

    describe("the server's clock", function () {
        it("is learned from the Date header, a lower bound however far our clock is off", async () => {
            const skewMs = 10 * 60_000;
            server = await startFakeServer((_seen, res) =>
                json(res, 200, { registries: [] }, { date: new Date(Date.now() + skewMs).toUTCString() }),
            );
            const client = clientFor(server.url);
            expect(client.serverTimeAt(Date.now())).to.equal(undefined);
            await client.listRegistries();
            const now = Date.now();
            const server_ = client.serverTimeAt(now)!;
            expect(server_).to.be.at.most(now + skewMs);
            expect(server_).to.be.above(now + skewMs - 2000);
        });

        it("a failed call records when it first went out", async () => {
            server = await startFakeServer((_seen, res) => apiError(res, 500, "server_error", "boom"));
            const before = Date.now();
            const err = await caught(() => clientFor(server!.url, { maxAttempts: 2 }).createRegistry({ name: "acme" }));
            expect(err.sentAt).to.be.a("number").within(before, Date.now());
        });
    });
});
