import { expect } from "chai";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { failures, loadContract, type Contract } from "./contract";
import { startProxy, type RecordingProxy } from "./proxy";

const TOKEN = "dop_v1_contractpages0123456789abcdef0123456789abcdef0123456789a";
type Links = { first?: string; prev?: string; next?: string; last?: string };
type PageBody = { links: { pages: Links }; meta: { total: number } } & Record<string, unknown>;

/** `{page, per_page, page_token?}` of a link, in the order the link spells them. */
function linkQuery(link: string | undefined): [string, string][] {
    return link === undefined ? [] : [...new URL(link).searchParams.entries()];
}

/**
 * Pagination as the reference describes it: `links.pages` first/prev/next/last with the right page
 * numbers and per_page, `meta.total` on every page, `page_token` in repositoriesV2 `next` links;
 * every page validated against the spec.
 */
describe("contract: pagination links and meta match the reference", function () {
    let contract: Contract;
    let emu: RunningEmulator;
    let proxy: RecordingProxy;

    async function page(path: string): Promise<PageBody> {
        const { value, exchanges } = await proxy.during(async () => {
            const res = await fetch(`${proxy.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
            return (await res.json()) as PageBody;
        });
        expect(failures(contract, exchanges)).to.deep.equal([]);
        expect(exchanges[0]?.status).to.equal(200);
        return value;
    }

    /** A link on the emulator's own origin, to `path`, with exactly these query parameters. */
    function expectLink(link: string | undefined, path: string, query: [string, string][]): void {
        expect(link, `link to ${path}?${new URLSearchParams(query).toString()}`).to.be.a("string");
        const url = new URL(link as string);
        expect(url.origin).to.equal(emu.url);
        expect(url.pathname).to.equal(path);
        expect(linkQuery(link).filter(([k]) => k !== "page_token")).to.deep.equal(query);
    }

    before(async () => {
        contract = await loadContract();
        emu = await startEmulator({
            token: TOKEN,
            seed: 9,
            rateLimitPerMinute: 0,
            fixture: {
                registries: [
                    {
                        name: "acme",
                        repositories: [
                            { name: "team/app", generate: { tagCount: 7, seed: 2 } },
                            { name: "many", generate: { tagCount: 25, seed: 3 } },
                            ...["r1", "r2", "r3", "r4"].map((name) => ({ name, manifests: [{ tags: ["v1"] }] })),
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

    it("numbered pages (tags, 7 items, per_page=3): first/prev/next/last carry the right page and per_page", async () => {
        const path = "/v2/registries/acme/repositories/team%2Fapp/tags";
        const p1 = await page(`${path}?per_page=3&page=1`);
        const p2 = await page(`${path}?per_page=3&page=2`);
        const p3 = await page(`${path}?per_page=3&page=3`);
        for (const p of [p1, p2, p3]) expect(p.meta.total).to.equal(7);
        expect([p1, p2, p3].map((p) => (p.tags as unknown[]).length)).to.deep.equal([3, 3, 1]);

        expect(Object.keys(p1.links.pages).sort()).to.deep.equal(["last", "next"]);
        expectLink(p1.links.pages.next, path, [
            ["page", "2"],
            ["per_page", "3"],
        ]);
        expectLink(p1.links.pages.last, path, [
            ["page", "3"],
            ["per_page", "3"],
        ]);

        expect(Object.keys(p2.links.pages).sort()).to.deep.equal(["first", "last", "next", "prev"]);
        expectLink(p2.links.pages.first, path, [
            ["page", "1"],
            ["per_page", "3"],
        ]);
        expectLink(p2.links.pages.prev, path, [
            ["page", "1"],
            ["per_page", "3"],
        ]);
        expectLink(p2.links.pages.next, path, [
            ["page", "3"],
            ["per_page", "3"],
        ]);
        expectLink(p2.links.pages.last, path, [
            ["page", "3"],
            ["per_page", "3"],
        ]);

        expect(Object.keys(p3.links.pages).sort()).to.deep.equal(["first", "prev"]);
        expectLink(p3.links.pages.prev, path, [
            ["page", "2"],
            ["per_page", "3"],
        ]);

        const tags = [p1, p2, p3].flatMap((p) => (p.tags as { tag: string }[]).map((t) => t.tag));
        expect(new Set(tags).size).to.equal(7);
    });

    it("a single page has no links; without per_page the page size is the spec's default 20", async () => {
        const p = await page("/v2/registries/acme/repositories/team%2Fapp/digests");
        expect(p.links.pages).to.deep.equal({});
        expect(p.meta.total).to.equal(6); // 7 tags on 6 manifests (the newest has "latest" too)
        expect(p.manifests).to.have.length(6);
        const many = await page("/v2/registries/acme/repositories/many/tags");
        expect(many.tags).to.have.length(20);
        expectLink(many.links.pages.next, "/v2/registries/acme/repositories/many/tags", [
            ["page", "2"],
            ["per_page", "20"],
        ]);
        const gcs = await page("/v2/registries/acme/garbage-collections?per_page=1");
        expect(gcs.meta.total).to.equal(0);
        expect(gcs.links.pages).to.deep.equal({});
    });

    it("links keep the spec example's shape: numbered pages carry page and per_page only", () => {
        // The reference's own example for the manifests list (a middle page of three).
        const responses = (contract.raw.components as Record<string, Record<string, Record<string, unknown>>>)
            .responses;
        const content = responses?.repository_manifests?.content as Record<string, { schema: { example: PageBody } }>;
        const example = content["application/json"]?.schema.example;
        expect(Object.keys(example?.links.pages ?? {}).sort()).to.deep.equal(["first", "last", "next", "prev"]);
        for (const link of Object.values(example?.links.pages ?? {}))
            expect(linkQuery(link).map(([k]) => k)).to.deep.equal(["page", "per_page"]);
    });

    it("repositoriesV2 (6 repositories, per_page=2): next links carry page_token; following them reads each repository once", async () => {
        const path = "/v2/registries/acme/repositoriesV2";
        const names: string[] = [];
        let body = await page(`${path}?per_page=2`);
        let pageNo = 1;
        for (;;) {
            expect(body.meta.total).to.equal(6);
            names.push(...(body.repositories as { name: string }[]).map((r) => r.name));
            const { next, last } = body.links.pages;
            if (pageNo < 3) {
                expectLink(next, path, [
                    ["page", String(pageNo + 1)],
                    ["per_page", "2"],
                ]);
                // As in the spec example: the token sits between page and per_page; `last` is numbered.
                expect(linkQuery(next).map(([k]) => k)).to.deep.equal(["page", "page_token", "per_page"]);
                expectLink(last, path, [
                    ["page", "3"],
                    ["per_page", "2"],
                ]);
                expect(linkQuery(last).map(([k]) => k)).to.deep.equal(["page", "per_page"]);
            } else {
                expect(next).to.equal(undefined);
                break;
            }
            // Follow the token alone ("page" is ignored when a page_token is given).
            const token = new URL(next as string).searchParams.get("page_token") as string;
            body = await page(`${path}?per_page=2&page_token=${encodeURIComponent(token)}`);
            pageNo++;
        }
        expect(names).to.deep.equal(["many", "r1", "r2", "r3", "r4", "team/app"]);
    });

    it("the spec example of repositoriesV2 has the same link shape (page_token in next, not in last)", () => {
        const responses = (contract.raw.components as Record<string, Record<string, Record<string, unknown>>>)
            .responses;
        const content = responses?.all_repositories_v2?.content as Record<string, { schema: { example: PageBody } }>;
        const pages = content["application/json"]?.schema.example.links.pages ?? {};
        expect(linkQuery(pages.next).map(([k]) => k)).to.deep.equal(["page", "page_token", "per_page"]);
        expect(linkQuery(pages.last).map(([k]) => k)).to.deep.equal(["page", "per_page"]);
    });
});
