import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type FaultRule } from "../../emulator";

/** The files the READMEs tell people to start the emulator with must keep working. */
describe("emulator: the documented example fixture and fault rules", () => {
    const dir = path.resolve(__dirname, "..", "..", "emulator", "examples");

    it("seed two registries, a generated repository and a taken name, and load as fault rules", async () => {
        const faults = JSON.parse(fs.readFileSync(path.join(dir, "faults.json"), "utf8")) as FaultRule[];
        const emu = await startEmulator({
            fixture: path.join(dir, "fixture.json"),
            faults,
            seed: 1,
            rateLimitPerMinute: 0,
        });
        try {
            const state = emu.snapshot();
            expect(state.subscription?.tier).to.equal("professional");
            expect(state.takenNames).to.include("held-by-another-team");
            expect(state.registries.map((r) => r.name)).to.deep.equal(["acme", "acme-staging"]);
            const builds = state.registries[0].repositories.find((r) => r.name === "ci/builds");
            expect(builds?.manifests.flatMap((m) => m.tags)).to.have.length(500);
            const res = await fetch(`${emu.url}/v2/registries`, {
                method: "POST",
                headers: { authorization: `Bearer ${emu.token}` },
                body: "{}",
            });
            expect(res.status, "the first create is answered 429 by the example rules").to.equal(429);
        } finally {
            await emu.stop();
        }
    });
});
