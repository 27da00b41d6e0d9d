import { expect } from "chai";
import { errorKind } from "../../provider/client";
import { cursorOf, lastPageOf, paginateByPage, type Page } from "../../provider/client/pagination";
import { apiError, caught, clientFor, delay, type FakeServer, json, startFakeServer } from "./fake-server";
import { collect } from "../../provider/client/pagination";

/** Serves `total` tags of acme/app by page number, with meta and links like the API. */
function tagServer(
    total: number,
    opts: { latencyMs?: number; withMeta?: boolean; fail?: (page: number) => boolean } = {},
) {
    return startFakeServer(async (seen, res) => {
        const url = new URL(seen.url, "http://x");
        const perPage = Number(url.searchParams.get("per_page"));
        const page = Number(url.searchParams.get("page") ?? "1");
        if (opts.latencyMs) await delay(opts.latencyMs);
        if (opts.fail?.(page)) return apiError(res, 404, "not_found", "gone");
        const tags = [];
        for (let i = (page - 1) * perPage; i < Math.min(total, page * perPage); i++)
            tags.push({ tag: `t${String(i).padStart(5, "0")}`, registry_name: "acme" });
        const last = Math.max(1, Math.ceil(total / perPage));
        const link = (p: number) =>
            `https://api.digitalocean.com/v2/registries/acme/repositories/app/tags?page=${p}&per_page=${perPage}`;
        const pages: Record<string, string> = {};
        if (page < last) Object.assign(pages, { next: link(page + 1), last: link(last) });
        if (page > 1) Object.assign(pages, { first: link(1), prev: link(page - 1) });
        json(
            res,
            200,
            opts.withMeta === false ? { tags, links: { pages } } : { tags, meta: { total }, links: { pages } },
        );
    });
}

describe("client pagination", () => {
    it("asks for the next page when one in flight is answered, not when the reader gets to it; at most 2 x concurrency ahead", async () => {
        const started: number[] = [];
        const fetchPage = (page: number): Promise<Page<string>> => {
            started.push(page);
            return Promise.resolve({
                items: Array.from({ length: 200 }, (_, i) => `${page}-${i}`),
                info: { meta: { total: 200 * 20 } },
            });
        };
        const reader = paginateByPage(fetchPage, {
            operation: "op",
            key: (x) => x,
            concurrency: 2,
            maxTimeMs: 60_000,
            log: () => undefined,
        });
        for (let i = 0; i < 201; i++) await reader.next(); // page 1, and the first item of page 2
        await delay(20);
        // Pages 3-6 answered or asked for while the reader is still on page 2: two in flight at most, four ahead.
        expect(started).to.deep.equal([1, 2, 3, 4, 5, 6]);
        await reader.return(undefined);
        await delay(20);
        expect(started, "nothing asked for once the reader stopped").to.have.length(6);
    });

    let server: FakeServer | undefined;
    afterEach(async () => server?.close());

    it("reads links and totals", () => {
        expect(cursorOf("https://api.digitalocean.com/v2/x?page=3&per_page=200")).to.deep.equal({
            page: 3,
            pageToken: undefined,
        });
        expect(cursorOf("https://h/v2/x?page=2&page_token=JPZ%2BmZz%3D")).to.deep.equal({
            page: 2,
            pageToken: "JPZ+mZz=",
        });
        expect(cursorOf("https://h/v2/x")).to.equal(undefined);
        expect(cursorOf(undefined)).to.equal(undefined);
        expect(lastPageOf({ meta: { total: 1000 } })).to.equal(5);
        expect(lastPageOf({ meta: { total: 1001 } })).to.equal(6);
        expect(lastPageOf({ meta: { total: 0 } })).to.equal(1);
        expect(lastPageOf({ meta: { total: 10 }, links: { pages: { last: "https://h/x?page=3" } } })).to.equal(3);
        expect(lastPageOf({})).to.equal(undefined);
    });

    for (const [total, requests] of [
        [0, 1],
        [1, 1],
        [200, 1],
        [201, 2],
        [1000, 5],
        [1234, 7],
    ] as const) {
        it(`${total} tags: each exactly once, in order, in ${requests} request(s) of per_page=200`, async () => {
            server = await tagServer(total);
            const tags = await collect(clientFor(server.url).listTags("acme", "app"));
            expect(tags.map((t) => t.tag)).to.deep.equal(
                Array.from({ length: total }, (_, i) => `t${String(i).padStart(5, "0")}`),
            );
            expect(server.requests).to.have.length(requests);
            for (const r of server.requests) expect(r.url).to.include("per_page=200");
        });
    }

    it("fetches pages after the first concurrently, bounded by pageConcurrency, and still yields in order", async () => {
        server = await tagServer(2000, { latencyMs: 60 });
        const started = Date.now();
        const tags = await collect(clientFor(server.url, { pageConcurrency: 4 }).listTags("acme", "app"));
        const elapsed = Date.now() - started;
        expect(tags).to.have.length(2000);
        expect(new Set(tags.map((t) => t.tag)).size).to.equal(2000);
        expect(server.requests).to.have.length(10);
        expect(server.requests[0].url).to.include("page=1");
        expect(server.maxInFlight()).to.equal(4);
        // 1 page, then 9 pages 4 at a time: 4 round trips of ~60 ms instead of 10.
        expect(elapsed).to.be.below(10 * 60);
        // page 1 was answered before any other page was asked for
        expect(Math.min(...server.requests.slice(1).map((r) => r.at))).to.be.at.least(server.requests[0].at + 55);
    });

    it("without meta.total, follows next links one page at a time", async () => {
        server = await tagServer(450, { withMeta: false });
        const tags = await collect(clientFor(server.url).listTags("acme", "app"));
        expect(tags).to.have.length(450);
        expect(server.requests.map((r) => new URL(r.url, "http://x").searchParams.get("page"))).to.deep.equal([
            "1",
            "2",
            "3",
        ]);
    });

    it("a failing page fails the iteration with a typed error (no unhandled rejection)", async () => {
        const unhandled: unknown[] = [];
        const onUnhandled = (reason: unknown) => unhandled.push(reason);
        process.on("unhandledRejection", onUnhandled);
        try {
            server = await tagServer(1000, { fail: (page) => page === 3, latencyMs: 5 });
            const err = await caught(() => collect(clientFor(server!.url).listTags("acme", "app")));
            expect(errorKind(err)).to.equal("not_found");
            expect(err.operation).to.equal("registries_list_repositoryTags");
            await delay(50);
            expect(unhandled).to.deep.equal([]);
        } finally {
            process.off("unhandledRejection", onUnhandled);
        }
    });

    it("skips items duplicated by pages that shifted, and warns about the count", async () => {
        const warns: string[] = [];
        server = await startFakeServer((seen, res) => {
            const page = Number(new URL(seen.url, "http://x").searchParams.get("page"));
            const tags = page === 1 ? [{ tag: "a" }, { tag: "b" }] : page === 2 ? [{ tag: "b" }, { tag: "c" }] : [];
            json(res, 200, { tags, meta: { total: 401 }, links: {} });
        });
        const tags = await collect(
            clientFor(server.url, { logger: (l, m) => l === "warn" && warns.push(m) }).listTags("acme", "app"),
        );
        expect(tags.map((t) => t.tag)).to.deep.equal(["a", "b", "c"]);
        expect(warns.join("\n"))
            .to.match(/duplicate/)
            .and.match(/reported 401/);
    });

    it("a malformed item on a later page names its field path", async () => {
        server = await startFakeServer((seen, res) => {
            const page = Number(new URL(seen.url, "http://x").searchParams.get("page"));
            const tags = Array.from({ length: page === 1 ? 200 : 5 }, (_, i) => ({
                tag: page === 2 && i === 3 ? 7 : `p${page}-${i}`,
            }));
            json(res, 200, { tags, meta: { total: 205 } });
        });
        const err = await caught(() => collect(clientFor(server!.url).listTags("acme", "app")));
        expect(errorKind(err)).to.equal("malformed_response");
        expect(err.fieldPath).to.equal("tags[3].tag");
    });

    it("repositoriesV2 follows page_token from each next link, sequentially", async () => {
        const total = 450;
        server = await startFakeServer((seen, res) => {
            const url = new URL(seen.url, "http://x");
            const token = url.searchParams.get("page_token");
            const page = token ? Number(Buffer.from(token, "base64").toString().split(":")[1]) : 1;
            const perPage = Number(url.searchParams.get("per_page"));
            const repositories = [];
            for (let i = (page - 1) * perPage; i < Math.min(total, page * perPage); i++)
                repositories.push({ name: `team/repo-${i}`, tag_count: 1 });
            const pages: Record<string, string> = {};
            const last = Math.ceil(total / perPage);
            if (page < last) {
                const next = Buffer.from(`offset+/=:${page + 1}`).toString("base64");
                pages.next = `https://api.digitalocean.com/v2/registries/acme/repositoriesV2?page=${page + 1}&page_token=${encodeURIComponent(next)}&per_page=${perPage}`;
                pages.last = `https://api.digitalocean.com/v2/registries/acme/repositoriesV2?page=${last}&per_page=${perPage}`;
            }
            json(res, 200, { repositories, meta: { total }, links: { pages } });
        });
        const repos = await collect(clientFor(server.url).listRepositories("acme"));
        expect(repos.map((r) => r.name)).to.deep.equal(Array.from({ length: total }, (_, i) => `team/repo-${i}`));
        expect(server.requests).to.have.length(3);
        expect(server.maxInFlight()).to.equal(1);
        const tokens = server.requests.map((r) => new URL(r.url, "http://x").searchParams.get("page_token"));
        expect(tokens[0]).to.equal(null);
        expect(Buffer.from(tokens[1]!, "base64").toString()).to.equal("offset+/=:2");
        expect(Buffer.from(tokens[2]!, "base64").toString()).to.equal("offset+/=:3");
    });

    it("repositoriesV2 stops on a repeating page_token instead of looping forever", async () => {
        server = await startFakeServer((_s, res) =>
            json(res, 200, {
                repositories: [{ name: "r" }],
                links: { pages: { next: "https://h/v2/registries/acme/repositoriesV2?page_token=SAME" } },
            }),
        );
        const err = await caught(() => collect(clientFor(server!.url).listRepositories("acme")));
        expect(errorKind(err)).to.equal("malformed_response");
        expect(server.requests.length).to.be.at.most(3);
    });

    it("garbage collections and manifests list through the same machinery", async () => {
        server = await startFakeServer((seen, res) =>
            json(
                res,
                200,
                seen.url.includes("garbage-collections")
                    ? { garbage_collections: [{ uuid: "g1", status: "succeeded" }], meta: { total: 1 } }
                    : { manifests: [{ digest: "sha256:1", tags: ["v1"] }], meta: { total: 1 } },
            ),
        );
        const client = clientFor(server.url);
        expect((await collect(client.listGarbageCollections("acme"))).map((g) => g.uuid)).to.deep.equal(["g1"]);
        expect((await collect(client.listManifests("acme", "app"))).map((m) => m.digest)).to.deep.equal(["sha256:1"]);
        expect(server.requests[0].url).to.equal("/v2/registries/acme/garbage-collections?per_page=200&page=1");
    });
});
