import { expect } from "chai";
import type { RunningEmulator } from "../../emulator";
import { call, SMALL_FIXTURE, start } from "./helpers";

describe("emulator: docker credentials", () => {
    let emu: RunningEmulator;
    beforeEach(async () => {
        emu = await start({ fixture: SMALL_FIXTURE });
    });
    afterEach(() => emu.stop());

    it("returns a docker config and records each credential", async () => {
        const before = Date.now();
        const r = await call(emu, "GET", "/v2/registries/acme/docker-credentials?read_write=true&expiry_seconds=3600");
        expect(r.status).to.equal(200);
        const auth = (r.json.auths as Record<string, { auth: string }>)["registry.digitalocean.com"]?.auth ?? "";
        const [user, pass] = Buffer.from(auth, "base64").toString("utf8").split(":");
        expect(user).to.match(/^rw-/);
        expect(pass).to.have.length.greaterThan(10);
        await call(emu, "GET", "/v2/registries/acme/docker-credentials");
        const creds = emu.credentials();
        expect(creds).to.have.length(2);
        expect(creds[0]).to.include({ registry: "acme", readWrite: true, expirySeconds: 3600, username: user });
        const expires = Date.parse(creds[0]?.expiresAt ?? "");
        expect(expires).to.be.within(before + 3_600_000 - 1000, Date.now() + 3_600_000 + 1000);
        expect(creds[1]).to.include({ readWrite: false, expiresAt: null, expirySeconds: 0 });
        const admin = (await (await fetch(`${emu.url}/_emulator/credentials`)).json()) as { credentials: unknown[] };
        expect(admin.credentials).to.have.length(2);
    });

    it("rejects bad expiry_seconds and read_write with 422, unknown registries with 404", async () => {
        for (const q of [
            "expiry_seconds=-1",
            "expiry_seconds=1.5",
            "expiry_seconds=abc",
            "expiry_seconds=2147483648",
            "read_write=maybe",
        ]) {
            const r = await call(emu, "GET", `/v2/registries/acme/docker-credentials?${q}`);
            expect(r.status, q).to.equal(422);
            expect(r.json.id).to.equal("unprocessable_entity");
        }
        expect(
            (await call(emu, "GET", "/v2/registries/acme/docker-credentials?expiry_seconds=2147483647")).status,
        ).to.equal(200);
        expect((await call(emu, "GET", "/v2/registries/nope/docker-credentials")).status).to.equal(404);
        expect(emu.credentials()).to.have.length(1);
    });
});
