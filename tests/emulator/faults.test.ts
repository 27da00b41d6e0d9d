import { expect } from "chai";
import type { FaultRule, RunningEmulator } from "../../emulator";
import { at, call, SMALL_FIXTURE, start } from "./helpers";

describe("emulator: fault injection", () => {
    let emu: RunningEmulator;
    beforeEach(async () => {
        emu = await start({ fixture: SMALL_FIXTURE });
    });
    afterEach(() => emu.stop());

    it("injects a status for the first N matches of an operationId, with Retry-After, and logs it", async () => {
        emu.setFaults([{ operationId: "registries_get", status: 503, times: 2, retryAfterSeconds: 7 }]);
        const a = await call(emu, "GET", "/v2/registries/acme");
        expect(a.status).to.equal(503);
        expect(a.json.id).to.equal("service_unavailable");
        expect(a.headers.get("retry-after")).to.equal("7");
        expect(a.headers.get("ratelimit-limit")).to.match(/^\d+$/);
        expect((await call(emu, "GET", "/v2/registries/acme")).status).to.equal(503);
        expect((await call(emu, "GET", "/v2/registries/acme")).status).to.equal(200);
        expect((await call(emu, "GET", "/v2/registries")).status).to.equal(200);
        const log = emu.requests();
        expect(log.map((r) => r.fault?.kind ?? "-")).to.deep.equal(["status", "status", "-", "-"]);
        expect(log[0]).to.include({ operationId: "registries_get", status: 503, path: "/v2/registries/acme" });
    });

    it("a status fault before handling changes nothing", async () => {
        emu.setFaults([{ method: "delete", pathPrefix: "/v2/registries/acme", status: 500 }]);
        expect((await call(emu, "DELETE", "/v2/registries/acme")).status).to.equal(500);
        expect(emu.snapshot().registries.map((r) => r.name)).to.deep.equal(["acme"]);
        emu.setFaults([{ method: "DELETE", status: 500, latencyMs: 20, afterHandling: true }]);
        expect((await call(emu, "DELETE", "/v2/registries/acme")).status).to.equal(500);
        expect(emu.snapshot().registries).to.deep.equal([]);
    });

    it("afterHandling: the create happens, then the connection drops (lost response)", async () => {
        emu.setFaults([{ operationId: "registries_create", dropConnection: true, afterHandling: true, times: 1 }]);
        emu.seed({ subscriptionTier: "professional" });
        let failed = false;
        try {
            await call(emu, "POST", "/v2/registries", { name: "lost-reply" });
        } catch {
            failed = true;
        }
        expect(failed).to.equal(true);
        expect(emu.snapshot().registries.map((r) => r.name)).to.include("lost-reply");
        const retry = await call(emu, "POST", "/v2/registries", { name: "lost-reply" });
        expect(retry.status).to.equal(409);
        const log = emu.requests();
        expect(log[0]).to.deep.include({ status: 0, operationId: "registries_create" });
        expect(log[0]?.fault).to.include({ kind: "drop", afterHandling: true });
    });

    it("dropConnection before handling leaves state alone", async () => {
        emu.setFaults([{ operationId: "registries_delete", dropConnection: true }]);
        let failed = false;
        await call(emu, "DELETE", "/v2/registries/acme").catch(() => {
            failed = true;
        });
        expect(failed).to.equal(true);
        expect(emu.snapshot().registries).to.have.length(1);
    });

    it("malformed bodies: unparseable JSON and a wrong field type", async () => {
        emu.setFaults([
            { operationId: "registries_get", malformedBody: "json", times: 1 },
            { operationId: "registries_get", malformedBody: "schema", times: 1 },
        ]);
        const bad = await call(emu, "GET", "/v2/registries/acme");
        expect(bad.status).to.equal(200);
        expect(() => {
            JSON.parse(bad.text);
        }).to.throw();
        const wrong = await call(emu, "GET", "/v2/registries/acme");
        expect(wrong.status).to.equal(200);
        expect(at(wrong.json, "registry.name")).to.be.a("number");
        const fine = await call(emu, "GET", "/v2/registries/acme");
        expect(at(fine.json, "registry.name")).to.equal("acme");
    });

    it("body: answers exactly the given JSON (status 200 unless given) and, before handling, changes nothing", async () => {
        emu.setFaults([
            { operationId: "registries_list", body: { registries: null }, times: 1 },
            { operationId: "registries_delete", body: {}, status: 202, times: 1 },
        ]);
        const list = await call(emu, "GET", "/v2/registries");
        expect(list.status).to.equal(200);
        expect(list.json).to.deep.equal({ registries: null });
        expect((await call(emu, "DELETE", "/v2/registries/acme")).status).to.equal(202);
        expect(emu.snapshot().registries.map((r) => r.name)).to.deep.equal(["acme"]);
        expect(emu.requests().map((r) => r.fault?.kind)).to.deep.equal(["body", "body"]);
    });

    it("latency delays the answer (before or after handling)", async () => {
        emu.setFaults([{ operationId: "registries_get_options", latencyMs: 150 }]);
        const t0 = Date.now();
        expect((await call(emu, "GET", "/v2/registries/options")).status).to.equal(200);
        expect(Date.now() - t0).to.be.at.least(140);
        await call(emu, "GET", "/v2/registries");
        expect(emu.requests()[0]?.fault).to.include({ kind: "latency", latencyMs: 150 });
        // Another route is untouched; asserted on the log, not the clock (the machine is shared).
        expect(emu.requests()[1]?.fault).to.equal(undefined);
    });

    it("rate < 1 is deterministic for a given seed", async () => {
        const rules: FaultRule[] = [{ operationId: "registries_list", status: 500, rate: 0.5 }];
        const run = async (): Promise<number[]> => {
            emu.setFaults(rules);
            const out: number[] = [];
            for (let i = 0; i < 24; i++) out.push((await call(emu, "GET", "/v2/registries")).status);
            return out;
        };
        const first = await run();
        const second = await run();
        expect(first).to.deep.equal(second);
        expect(first).to.include(500).and.include(200);
        const other = await start({ seed: 43 });
        try {
            other.setFaults(rules);
            const out: number[] = [];
            for (let i = 0; i < 24; i++) out.push((await call(other, "GET", "/v2/registries")).status);
            expect(out).not.to.deep.equal(first);
        } finally {
            await other.stop();
        }
    });

    it("admin routes set and read faults and the request log", async () => {
        const put = await fetch(`${emu.url}/_emulator/faults`, {
            method: "PUT",
            body: JSON.stringify({ faults: [{ operationId: "registries_list", status: 502 }] }),
        });
        expect(put.status).to.equal(200);
        expect((await call(emu, "GET", "/v2/registries")).status).to.equal(502);
        const got = (await (await fetch(`${emu.url}/_emulator/faults`)).json()) as { faults: FaultRule[] };
        expect(got.faults).to.deep.equal([{ operationId: "registries_list", status: 502 }]);
        const bad = await fetch(`${emu.url}/_emulator/faults`, { method: "PUT", body: JSON.stringify([{ rate: 2 }]) });
        expect(bad.status).to.equal(422);
        const log = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as { requests: { status: number }[] };
        expect(log.requests.map((r) => r.status)).to.deep.equal([502]);
        expect((await fetch(`${emu.url}/_emulator/requests`, { method: "DELETE" })).status).to.equal(204);
        expect(emu.requests()).to.deep.equal([]);
    });
});
