import { expect } from "chai";
import type { RunningEmulator } from "../../emulator";
import { at, call, SMALL_FIXTURE, start, wait } from "./helpers";

const STEP = 40;

describe("emulator: garbage collection", () => {
    let emu: RunningEmulator;
    beforeEach(async () => {
        emu = await start({ fixture: SMALL_FIXTURE, gcStepMs: STEP });
    });
    afterEach(() => emu.stop());

    it("walks requested -> waiting -> scanning -> deleting -> succeeded and frees unreferenced blobs", async () => {
        expect((await call(emu, "GET", "/v2/registries/acme/garbage-collection")).status).to.equal(404);
        const started = await call(emu, "POST", "/v2/registries/acme/garbage-collection", {
            type: "untagged manifests and unreferenced blobs",
        });
        expect(started.status).to.equal(201);
        expect(at(started.json, "garbage_collection.status")).to.equal("requested");
        expect(at(started.json, "garbage_collection.registry_name")).to.equal("acme");
        const uuid = String(at(started.json, "garbage_collection.uuid"));
        const seen = new Set<string>();
        for (let i = 0; i < 40; i++) {
            const r = await call(emu, "GET", "/v2/registries/acme/garbage-collection");
            if (r.status === 404) break;
            expect(at(r.json, "garbage_collection.uuid")).to.equal(uuid);
            seen.add(String(at(r.json, "garbage_collection.status")));
            await wait(STEP / 4);
        }
        expect([...seen]).to.include.members([
            "waiting for write JWTs to expire",
            "scanning manifests",
            "deleting unreferenced blobs",
        ]);
        const list = await call(emu, "GET", "/v2/registries/acme/garbage-collections");
        const runs = list.json.garbage_collections as Record<string, unknown>[];
        expect(runs[0]).to.include({ uuid, status: "succeeded", blobs_deleted: 1, freed_bytes: 300 });
        expect(list.json.meta).to.deep.equal({ total: 1 });
        const reg = await call(emu, "GET", "/v2/registries/acme");
        expect(at(reg.json, "registry.storage_usage_bytes")).to.equal(1300);
        const digests = await call(emu, "GET", "/v2/registries/acme/repositories/team%2Fapp/digests");
        expect((digests.json.manifests as unknown[]).length).to.equal(2);
    });

    it("the default type only frees blobs no manifest references (untagged manifests stay)", async () => {
        await call(emu, "DELETE", "/v2/registries/acme/repositories/team%2Fapp/digests/sha256:mid");
        await call(emu, "POST", "/v2/registries/acme/garbage-collection");
        await wait(STEP * 5);
        const runs = (await call(emu, "GET", "/v2/registries/acme/garbage-collections")).json
            .garbage_collections as Record<string, unknown>[];
        expect(runs[0]).to.include({ status: "succeeded", blobs_deleted: 1, freed_bytes: 200 });
        expect(emu.snapshot().registries[0]?.repositories[0]?.manifests.map((m) => m.digest)).to.have.members([
            "sha256:old",
            "sha256:new",
        ]);
    });

    it("refuses a second run while one is active (409), cancels, lists newest first", async () => {
        const first = await call(emu, "POST", "/v2/registries/acme/garbage-collection", {});
        const uuid = String(at(first.json, "garbage_collection.uuid"));
        const again = await call(emu, "POST", "/v2/registries/acme/garbage-collection", {});
        expect(again.status).to.equal(409);
        expect(again.json.id).to.equal("conflict");
        expect(
            (await call(emu, "PUT", `/v2/registries/acme/garbage-collection/${uuid}`, { cancel: false })).status,
        ).to.equal(422);
        expect(
            (await call(emu, "PUT", "/v2/registries/acme/garbage-collection/nope", { cancel: true })).status,
        ).to.equal(404);
        const cancelled = await call(emu, "PUT", `/v2/registries/acme/garbage-collection/${uuid}`, { cancel: true });
        expect(cancelled.status).to.equal(200);
        expect(at(cancelled.json, "garbage_collection.status")).to.equal("cancelled");
        expect((await call(emu, "GET", "/v2/registries/acme/garbage-collection")).status).to.equal(404);
        await wait(STEP * 5);
        expect(at((await call(emu, "GET", "/v2/registries/acme")).json, "registry.storage_usage_bytes")).to.equal(1600);
        const second = await call(emu, "POST", "/v2/registries/acme/garbage-collection", {
            type: "unreferenced blobs only",
        });
        expect(second.status).to.equal(201);
        expect(
            (await call(emu, "POST", "/v2/registries/acme/garbage-collection", { type: "everything" })).status,
        ).to.equal(422);
        const list = await call(emu, "GET", "/v2/registries/acme/garbage-collections?per_page=1");
        const runs = list.json.garbage_collections as Record<string, unknown>[];
        expect(runs.map((r) => r.uuid)).to.deep.equal([at(second.json, "garbage_collection.uuid")]);
        expect(list.json.meta).to.deep.equal({ total: 2 });
        expect(at(list.json, "links.pages.next")).to.equal(
            `${emu.url}/v2/registries/acme/garbage-collections?page=2&per_page=1`,
        );
    });

    it("deleting the registry takes its runs and repositories with it", async () => {
        await call(emu, "POST", "/v2/registries/acme/garbage-collection", {});
        expect((await call(emu, "DELETE", "/v2/registries/acme")).status).to.equal(204);
        expect((await call(emu, "GET", "/v2/registries/acme/garbage-collections")).status).to.equal(404);
        expect(emu.snapshot().registries).to.deep.equal([]);
    });
});
