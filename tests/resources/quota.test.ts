import { expect } from "chai";
import type { World } from "../../harness/world";
import { startWorld } from "../support/world";

describe("the hourly quota through the dynamic-provider host", function () {
    let world: World | undefined;
    after(async function () {
        await world?.stop();
    });

    it("a resource waiting for the API's hourly quota says so in the engine log (pulumi.log.info), then succeeds", async function () {
        // 3 an "hour" of 6.5 s: the default reserve (20%) and its cushion leave this stack one request per hour.
        world = await startWorld({ emulator: { rateLimitPerHour: 3, hourWindowMs: 6500 } });
        const reg = await world.resource("Registry", "quota");
        const created = await reg.create({ name: "acme-quota", region: "fra1", subscriptionTierSlug: "basic" });
        world.host.clearOutput();
        const started = Date.now();
        const read = await reg.read(created.id, created.properties);
        expect(read.id).to.equal("acme-quota");
        expect(Date.now() - started).to.be.at.least(5000);
        const line = await world.host.waitForOutput(
            /info: \[runtime\] waiting \d+ s for the API's hourly quota \(ratelimit-reset\)/,
        );
        expect(line).to.match(/requests left, 1 kept for the rest of the team/);
        // Nothing was refused: the provider waited instead of spending the reserve.
        expect(world.emulator.requests().map((r) => r.status)).to.deep.equal([201, 200]);
        expect(Math.min(...world.emulator.requests().map((r) => r.rateRemaining ?? -1))).to.be.at.least(1);
    });
});
