/**
 * Broken and hostile answers through the dynamic-provider host (issue 13): a lost create never
 * takes over another stack's registry, a 200 of the wrong shape never drops a live registry from
 * state, and a body too large to hold fails one operation, not the host.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { bindResource, startProviderHost, urn, type ProviderHost } from "../../harness/engine";
import { startFakeServer, type FakeServer } from "../client/fake-server";
import { WORLD_TOKEN, serializedProvider, type World } from "../../harness/world";
import { useWorld } from "../support/world";

describe("Registry against broken and hostile answers", function () {
    this.timeout(120_000);
    const getWorld = useWorld({ seed: { subscriptionTier: "professional", registries: [] } });
    let world: World;
    beforeEach(function () {
        world = getWorld();
    });

    describe("a create whose outcome is unknown adopts only what it made", function () {
        /** Another stack's registry, created `ageMs` before our create. */
        function seedOthers(name: string, region: string, ageMs: number): void {
            world.emulator.seed({
                registries: [{ name, region, createdAt: new Date(Date.now() - ageMs).toISOString(), repositories: [] }],
            });
        }

        it("another stack's registry in another region, created 5 s earlier: no adoption, the 503 reported, and it survives", async function () {
            seedOthers("shared", "fra1", 5_000);
            world.emulator.setFaults([{ operationId: "registries_create", status: 503, times: 1 }]);
            const reg = await world.resource("Registry", "ours");
            const err = await reg.create({ name: "shared", region: "nyc3" }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.match(/registries_create: the API failed on registry "shared".*503/);
            expect(err?.message).to.match(
                /a registry "shared" exists, but not from this create \(it is in region "fra1", not "nyc3"\), so it was not adopted/,
            );
            // Nothing entered our state, so our destroy has nothing to delete: the other registry stays.
            expect(world.emulator.snapshot().registries.map((r) => [r.name, r.region])).to.deep.equal([
                ["shared", "fra1"],
            ]);
        });

        it("same region, created 5 s before our request by the server's clock: no adoption", async function () {
            seedOthers("shared", "fra1", 5_000);
            world.emulator.setFaults([{ operationId: "registries_create", dropConnection: true, times: 1 }]);
            const reg = await world.resource("Registry", "ours");
            const err = await reg.create({ name: "shared", region: "fra1" }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.match(
                /^registries_create: network error .*; a registry "shared" exists, but not from this create \(it was created at \S+, before this create was sent \(by the API's clock\)\)/,
            );
            expect(world.emulator.snapshot().registries).to.have.length(1);
        });

        it("when the follow-up lookup fails too, the create's error is the one reported", async function () {
            world.emulator.setFaults([
                { operationId: "registries_create", status: 503, times: 1 },
                { operationId: "registries_get", status: 403, times: 1 },
            ]);
            const reg = await world.resource("Registry", "ours");
            const err = await reg.create({ name: "acme-lookup", region: "fra1" }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.match(
                /^registries_create: the API failed on registry "acme-lookup".*503.*; whether registry "acme-lookup" was created could not be checked \(registries_get: /,
            );
        });

        it("its own registry, created by a create whose answer was lost, is still adopted", async function () {
            world.emulator.setFaults([
                { operationId: "registries_create", status: 503, afterHandling: true, times: 1 },
            ]);
            const reg = await world.resource("Registry", "ours");
            const created = await reg.create({ name: "acme-mine", region: "fra1" });
            expect(created.id).to.equal("acme-mine");
        });
    });

    describe("refresh on a 200 that is not a list", function () {
        for (const body of [{}, { registries: null }, { status: "maintenance" }]) {
            it(`${JSON.stringify(body)}: an error, and the registry stays in state`, async function () {
                const reg = await world.resource("Registry", "live");
                const created = await reg.create({ name: "acme-live", region: "fra1" });
                world.emulator.setFaults([{ operationId: "registries_list", body }]);
                const err = await reg.read(created.id, created.properties).then(
                    () => undefined,
                    (e: Error) => e,
                );
                expect(err?.message).to.match(/registries_list: malformed response at registries/);
                world.emulator.setFaults([]);
                const read = await reg.read(created.id, created.properties);
                expect(read.id).to.equal("acme-live");
            });
        }

        it("a well-formed list without the registry still means it is gone", async function () {
            const reg = await world.resource("Registry", "gone");
            const created = await reg.create({ name: "acme-gone", region: "fra1" });
            world.emulator.setFaults([{ operationId: "registries_list", body: { registries: [] } }]);
            expect((await reg.read(created.id, created.properties)).id).to.equal("");
        });
    });
});

describe("the host against bodies too large to hold", function () {
    this.timeout(120_000);
    let host: ProviderHost | undefined;
    let server: FakeServer | undefined;
    after(async function () {
        await host?.stop();
        await server?.close();
    });

    it("a gzip bomb and an oversized body fail their read with a clear error; the host lives on with bounded memory", async function () {
        const bomb = gzipSync(Buffer.alloc(256 * 1024 * 1024, 0x20));
        const oversized = JSON.stringify({ registries: [{ name: "x".repeat(12 * 1024 * 1024) }] });
        server = await startFakeServer((_seen, res, _req, n) => {
            if (n === 1) {
                res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
                return res.end(bomb);
            }
            res.writeHead(200, { "content-type": "application/json" });
            res.end(n === 2 ? oversized : JSON.stringify({ registries: [{ name: "acme", region: "fra1" }] }));
        });
        host = await startProviderHost({ env: { DOCR_RETRY_BASE_DELAY_MS: "5" } });
        await host.configure({ "digitalocean:token": WORLD_TOKEN, "digitalocean:apiUrl": server.url });
        const reg = bindResource(
            host,
            await serializedProvider("Registry"),
            urn("pulumi-nodejs:dynamic/docr:Registry", "big"),
        );
        const props = { name: "acme", region: "fra1" };
        for (let i = 0; i < 2; i++) {
            const err = await reg.read("acme", props).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.match(
                /registries_list: malformed response: the response body from 127\.0\.0\.1 exceeds 8388608 bytes decoded/,
            );
        }
        const read = await reg.read("acme", props);
        expect(read.id).to.equal("acme");
        expect(server.requests).to.have.length(3);
        const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${host.pid}/status`, "utf8"))?.[1]);
        expect(peakKb * 1024, "the host's peak RSS").to.be.below(300 * 1024 * 1024);
        expect(host.output()).not.to.include(WORLD_TOKEN);
    });
});
