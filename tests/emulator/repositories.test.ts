import { expect } from "chai";
import { generateRepository, type RunningEmulator } from "../../emulator";
import { at, call, SMALL_FIXTURE, start } from "./helpers";

type Obj = Record<string, unknown>;

describe("emulator: repositories, tags, manifests, pagination", () => {
    let emu: RunningEmulator;
    beforeEach(async () => {
        emu = await start({ fixture: SMALL_FIXTURE });
    });
    afterEach(() => emu.stop());

    it("lists tags and manifests newest first, with the repository name URL-encoded", async () => {
        const tags = await call(emu, "GET", "/v2/registries/acme/repositories/team%2Fapp/tags");
        expect(tags.status).to.equal(200);
        expect((tags.json.tags as Obj[]).map((t) => t.tag)).to.deep.equal(["latest", "v2", "v1"]);
        expect((tags.json.tags as Obj[])[0]).to.include({
            registry_name: "acme",
            repository: "team/app",
            manifest_digest: "sha256:new",
            compressed_size_bytes: 1100,
        });
        expect(tags.json.meta).to.deep.equal({ total: 3 });
        const digests = await call(emu, "GET", "/v2/registries/acme/repositories/team%2Fapp/digests");
        const manifests = digests.json.manifests as Obj[];
        expect(manifests.map((m) => m.digest)).to.deep.equal(["sha256:new", "sha256:mid", "sha256:old"]);
        expect(manifests[2]?.tags).to.deep.equal([]);
        expect(manifests[0]?.blobs).to.deep.equal([
            { digest: "sha256:base", compressed_size_bytes: 1000 },
            { digest: "sha256:newapp", compressed_size_bytes: 100 },
        ]);
        const unencoded = await call(emu, "GET", "/v2/registries/acme/repositories/team/app/tags");
        expect(unencoded.status).to.equal(404);
    });

    it("storage usage counts each blob once", async () => {
        const r = await call(emu, "GET", "/v2/registries/acme");
        expect(at(r.json, "registry.storage_usage_bytes")).to.equal(1000 + 300 + 200 + 100);
        expect(at(r.json, "registry.storage_usage_bytes_updated_at")).to.be.a("string");
    });

    it("repositoriesV2 carries latest_manifest, tag_count and manifest_count", async () => {
        const r = await call(emu, "GET", "/v2/registries/acme/repositoriesV2");
        const repo = (r.json.repositories as Obj[])[0];
        expect(repo).to.include({ registry_name: "acme", name: "team/app", tag_count: 3, manifest_count: 3 });
        expect(at(repo, "latest_manifest.digest")).to.equal("sha256:new");
        expect(r.json.meta).to.deep.equal({ total: 1 });
        expect(r.json.links).to.deep.equal({ pages: {} });
    });

    it("deleting a tag leaves the manifest untagged; deleting a manifest removes its tags", async () => {
        const base = "/v2/registries/acme/repositories/team%2Fapp";
        expect((await call(emu, "DELETE", `${base}/tags/v1`)).status).to.equal(204);
        expect((await call(emu, "DELETE", `${base}/tags/v1`)).status).to.equal(404);
        let digests = (await call(emu, "GET", `${base}/digests`)).json.manifests as Obj[];
        expect(digests.find((m) => m.digest === "sha256:mid")?.tags).to.deep.equal([]);
        expect((await call(emu, "DELETE", `${base}/digests/sha256:new`)).status).to.equal(204);
        expect((await call(emu, "DELETE", `${base}/digests/sha256:new`)).status).to.equal(404);
        const tags = (await call(emu, "GET", `${base}/tags`)).json.tags as Obj[];
        expect(tags).to.deep.equal([]);
        digests = (await call(emu, "GET", `${base}/digests`)).json.manifests as Obj[];
        expect(digests.map((m) => m.digest)).to.deep.equal(["sha256:mid", "sha256:old"]);
        expect((await call(emu, "DELETE", base)).status).to.equal(204);
        expect((await call(emu, "GET", `${base}/tags`)).status).to.equal(404);
        expect((await call(emu, "GET", "/v2/registries/nope/repositories/x/tags")).status).to.equal(404);
    });

    it("a tag listing shows every change since the previous listing (the tag order is kept between requests)", async () => {
        const base = "/v2/registries/acme/repositories/team%2Fapp";
        const tagNames = async () => ((await call(emu, "GET", `${base}/tags`)).json.tags as Obj[]).map((t) => t.tag);
        expect(await tagNames()).to.deep.equal(["latest", "v2", "v1"]);
        expect((await call(emu, "DELETE", `${base}/tags/v2`)).status).to.equal(204);
        expect(await tagNames()).to.deep.equal(["latest", "v1"]);
        expect((await call(emu, "DELETE", `${base}/digests/sha256:new`)).status).to.equal(204);
        expect(await tagNames()).to.deep.equal(["v1"]);
        emu.seed({
            registries: [
                {
                    name: "acme",
                    repositories: [{ name: "team/app", manifests: [{ digest: "sha256:other", tags: ["b", "a"] }] }],
                },
            ],
        });
        expect(await tagNames()).to.deep.equal(["a", "b"]);
    });

    it("pages 1,000+ tags with absolute links and no duplicates", async () => {
        emu.seed({
            registries: [
                {
                    name: "acme",
                    repositories: [generateRepository({ name: "big/one", tagCount: 1234, untaggedCount: 50, seed: 7 })],
                },
            ],
        });
        const seen = new Set<string>();
        let next: string | undefined = `${emu.url}/v2/registries/acme/repositories/big%2Fone/tags?per_page=200`;
        let pages = 0;
        let lastUpdated = "9999";
        while (next) {
            const res = await fetch(next, { headers: { authorization: `Bearer ${emu.token}` } });
            const body = (await res.json()) as {
                tags: Obj[];
                links: { pages: Record<string, string> };
                meta: { total: number };
            };
            expect(body.meta.total).to.equal(1234);
            for (const t of body.tags) {
                expect(seen.has(String(t.tag)), String(t.tag)).to.equal(false);
                seen.add(String(t.tag));
                expect(String(t.updated_at) <= lastUpdated).to.equal(true);
                lastUpdated = String(t.updated_at);
            }
            if (pages > 0)
                expect(body.links.pages.first).to.equal(
                    `${emu.url}/v2/registries/acme/repositories/big%2Fone/tags?page=1&per_page=200`,
                );
            next = body.links.pages.next;
            if (next)
                expect(body.links.pages.last).to.equal(
                    `${emu.url}/v2/registries/acme/repositories/big%2Fone/tags?page=7&per_page=200`,
                );
            pages++;
        }
        expect(pages).to.equal(7);
        expect(seen.size).to.equal(1234);
        expect(seen.has("latest")).to.equal(true);
        const manifests = await call(emu, "GET", "/v2/registries/acme/repositories/big%2Fone/digests?per_page=1");
        expect(manifests.json.meta).to.deep.equal({ total: 1233 + 50 });
    });

    it("validates page and per_page (1..200) with 422", async () => {
        const base = "/v2/registries/acme/repositories/team%2Fapp/tags";
        for (const q of ["per_page=0", "per_page=201", "per_page=abc", "page=0", "page=-1"]) {
            const r = await call(emu, "GET", `${base}?${q}`);
            expect(r.status, q).to.equal(422);
        }
        const p2 = await call(emu, "GET", `${base}?page=2&per_page=2`);
        expect((p2.json.tags as Obj[]).map((t) => t.tag)).to.deep.equal(["v1"]);
        expect(p2.json.links).to.deep.equal({
            pages: { first: `${emu.url}${base}?page=1&per_page=2`, prev: `${emu.url}${base}?page=1&per_page=2` },
        });
        const beyond = await call(emu, "GET", `${base}?page=9`);
        expect(beyond.json.tags).to.deep.equal([]);
    });

    it("repositoriesV2 hands out page_token links and honours them over page", async () => {
        const repos = Array.from({ length: 45 }, (_, i) => ({
            name: `svc/r${String(i).padStart(2, "0")}`,
            manifests: [{ tags: ["v1"] }],
        }));
        emu.seed({ registries: [{ name: "acme", repositories: repos }] });
        const names: string[] = [];
        let next: string | undefined = `${emu.url}/v2/registries/acme/repositoriesV2?per_page=10`;
        while (next) {
            const res = await fetch(next, { headers: { authorization: `Bearer ${emu.token}` } });
            const body = (await res.json()) as { repositories: Obj[]; links: { pages: Record<string, string> } };
            names.push(...body.repositories.map((r) => String(r.name)));
            next = body.links.pages.next;
            if (next) expect(next).to.match(/[?&]page_token=[A-Za-z0-9_-]+/);
        }
        expect(names).to.have.length(46);
        expect(new Set(names).size).to.equal(46);
        const token = Buffer.from(JSON.stringify({ offset: 40 })).toString("base64url");
        const jump = await call(
            emu,
            "GET",
            `/v2/registries/acme/repositoriesV2?per_page=10&page=1&page_token=${token}`,
        );
        expect((jump.json.repositories as Obj[]).map((r) => r.name)).to.deep.equal(names.slice(40, 50));
        expect((await call(emu, "GET", "/v2/registries/acme/repositoriesV2?page_token=!!!")).status).to.equal(400);
    });

    it("generateRepository is deterministic, shares layers and spreads untagged manifests", () => {
        const a = generateRepository({ name: "x", tagCount: 100, untaggedCount: 20, seed: 3 });
        const b = generateRepository({ name: "x", tagCount: 100, untaggedCount: 20, seed: 3 });
        expect(a).to.deep.equal(b);
        const ms = a.manifests ?? [];
        expect(ms).to.have.length(99 + 20);
        expect(ms.filter((m) => (m.tags ?? []).length === 0)).to.have.length(20);
        expect(ms[ms.length - 1]?.tags).to.include("latest");
        const blobUse = new Map<string, number>();
        for (const m of ms) for (const bl of m.blobs ?? []) blobUse.set(bl.digest, (blobUse.get(bl.digest) ?? 0) + 1);
        expect(Math.max(...blobUse.values())).to.be.greaterThan(10);
        const times = ms.map((m) => m.updatedAt ?? "");
        expect([...times].sort()).to.deep.equal(times);
    });
});
