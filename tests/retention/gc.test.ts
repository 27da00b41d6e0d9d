/** GarbageCollection through the real dynamic-provider host against the emulator. */
import { expect } from "chai";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { serializedProvider } from "../../provider/resources/serialized";
import {
    bindResource,
    type BoundResource,
    type ProviderHost,
    type ProviderHostError,
    serializeProvider,
    startProviderHost,
    urn,
} from "../../harness/engine";
import { SMALL_FIXTURE } from "../emulator/helpers";
import { HOST_ENV } from "./live";

// Four stages: a run takes ~1 s, long enough to create and delete one before it ends on a busy machine.
const STEP_MS = 250;

describe("GarbageCollection through the engine protocol", function () {
    this.timeout(30_000);
    let emu: RunningEmulator;
    let host: ProviderHost;
    let gc: BoundResource;

    before(async () => {
        emu = await startEmulator({ rateLimitPerMinute: 0, gcStepMs: STEP_MS, seed: 3 });
        host = await startProviderHost({ env: HOST_ENV });
        await host.configure({ "digitalocean:token": emu.token, "digitalocean:apiUrl": emu.url });
        gc = bindResource(
            host,
            await serializeProvider(serializedProvider("GarbageCollection")),
            urn("docr:GarbageCollection", "gc"),
        );
    });
    beforeEach(() => {
        emu.reset();
        emu.seed(SMALL_FIXTURE);
        host.clearOutput();
    });
    after(async () => {
        await host?.stop();
        await emu?.stop();
    });

    const runs = () => emu.snapshot().registries.find((r) => r.name === "acme")!.garbageCollections;
    const startDirectly = async (): Promise<string> => {
        const res = await fetch(`${emu.url}/v2/registries/acme/garbage-collection`, {
            method: "POST",
            headers: { authorization: `Bearer ${emu.token}`, "content-type": "application/json" },
            body: "{}",
        });
        return ((await res.json()) as { garbage_collection: { uuid: string } }).garbage_collection.uuid;
    };

    it("runs to success through its stages, with progress in the log and the run's figures", async () => {
        const { inputs } = await gc.check(
            {},
            { registryName: "acme", type: "untagged manifests and unreferenced blobs", triggers: { n: 1 } },
        );
        const created = await gc.create(inputs);
        expect(created.id).to.equal(runs()[0].uuid);
        // The untagged manifest's own layer (300 bytes) is freed; the shared base stays.
        expect(created.properties).to.include({ status: "succeeded", blobsDeleted: 1, freedBytes: 300, joined: false });
        const out = await host.waitForOutput(/: succeeded/);
        expect(out).to.contain("scanning manifests");
    });

    it("joins an active run instead of failing with 409", async () => {
        const uuid = await startDirectly();
        const { inputs } = await gc.check({}, { registryName: "acme" });
        const created = await gc.create(inputs);
        expect(created.id).to.equal(uuid);
        expect(created.properties).to.include({ joined: true, status: "succeeded" });
        expect(runs()).to.have.length(1);
    });

    it("after a lost start response, adopts the run it started (not joined: delete may cancel it)", async () => {
        emu.setFaults([
            { operationId: "registries_run_garbageCollection", dropConnection: true, afterHandling: true, times: 1 },
        ]);
        const { inputs } = await gc.check({}, { registryName: "acme", waitForCompletion: false });
        const ours = await gc.create(inputs);
        expect(ours.properties.joined, "the lost response was ours").to.equal(false);
        expect(runs()).to.have.length(1);
    });

    it("delete cancels a run that is still active, and succeeds when it is finished", async () => {
        const { inputs } = await gc.check({}, { registryName: "acme", waitForCompletion: false });
        const created = await gc.create(inputs);
        expect(created.properties.status).to.not.equal("succeeded");
        await gc.delete(created.id, created.properties);
        expect(runs()[0].finalStatus).to.equal("cancelled");
        await gc.delete(created.id, created.properties); // already over: still fine
    });

    it("read refreshes the status of a run that was left running", async () => {
        const { inputs } = await gc.check({}, { registryName: "acme", waitForCompletion: false });
        const created = await gc.create(inputs);
        await new Promise((r) => setTimeout(r, STEP_MS * 5));
        const read = await gc.read(created.id, created.properties);
        expect(read.id).to.equal(created.id);
        expect(read.properties.status).to.equal("succeeded");
    });

    it("a timeout gives a clear error naming the run and its last status", async () => {
        const { inputs } = await gc.check({}, { registryName: "acme", timeoutMinutes: 0.002 }); // 120 ms
        const err = await gc.create(inputs).then(
            () => undefined,
            (e: ProviderHostError) => e,
        );
        expect(err, "create should time out").to.not.equal(undefined);
        const uuid = runs()[0].uuid;
        expect(err!.message).to.contain(`garbage collection ${uuid} of registry "acme" did not finish within 0.1 s`);
        expect(err!.message).to.match(/last status: "(requested|waiting for write JWTs to expire)"/);
    });

    it("diff: changed triggers replace (delete first); waitForCompletion updates in place", async () => {
        const olds = (await gc.check({}, { registryName: "acme", triggers: { release: "1" } })).inputs;
        const news = (await gc.check(olds, { registryName: "acme", triggers: { release: "2" } })).inputs;
        const replace = await gc.diff("x", { ...olds, uuid: "x", status: "succeeded" }, news);
        expect(replace.replaces).to.deep.equal(["triggers"]);
        expect(replace.deleteBeforeReplace).to.equal(true);
        const same = await gc.diff("x", { ...olds, uuid: "x", status: "succeeded" }, olds);
        expect(same.changes).to.equal("none");
        const wait = (
            await gc.check(olds, { registryName: "acme", triggers: { release: "1" }, waitForCompletion: false })
        ).inputs;
        const inPlace = await gc.diff("x", { ...olds, uuid: "x", status: "succeeded" }, wait);
        expect(inPlace).to.include({ changes: "some" });
        expect(inPlace.replaces).to.deep.equal([]);
        // Leaving an input out stops managing it (the meaning every resource's diff shares): no new run.
        const typed = (await gc.check({}, { registryName: "acme", type: "untagged manifests only" })).inputs;
        const untyped = (await gc.check(typed, { registryName: "acme" })).inputs;
        const leftOut = await gc.diff("x", { ...typed, uuid: "x", status: "succeeded" }, untyped);
        expect(leftOut.changes).to.equal("none");
        const bad = await gc.check({}, { registryName: "acme", type: "everything", timeoutMinutes: 0 });
        expect(bad.failures.map((f) => f.property).sort()).to.deep.equal(["timeoutMinutes", "type"]);
    });
});
