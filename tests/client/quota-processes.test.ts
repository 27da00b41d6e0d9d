import { expect } from "chai";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { peakInWindow, runWorkers } from "../../bench/lib/quota-workers";

describe("client: several processes on one token", () => {
    let emu: RunningEmulator | undefined;
    afterEach(async () => {
        await emu?.stop();
        emu = undefined;
    });

    it("3 processes converge on a scaled-down quota with 0 failed operations, 429s absorbed", async () => {
        // 20 a 1 s "minute", 60 a 4 s "hour"; each process's reserve (0.2) keeps 12 of the hour.
        emu = await startEmulator({
            rateLimitPerMinute: 20,
            minuteWindowMs: 1000,
            rateLimitPerHour: 60,
            hourWindowMs: 4000,
            fixture: { subscriptionTier: "professional" },
        });
        // A fault retry budget shorter than the hour's Retry-After: 429s must wait against the quota wait budget.
        const base = {
            url: emu.url,
            token: emu.token,
            credentialsPerRegistry: 5,
            quotaReserve: 0.2,
            maxRetryTimeMs: 500,
            perMinuteLimit: 1200,
        };
        const reports = await runWorkers(
            ["a", "b", "c"].map((id) => ({ ...base, id, registries: [`quota-${id}-1`, `quota-${id}-2`] })),
        );
        const log = emu.requests();
        const summary = JSON.stringify(
            reports.map((r) => ({ id: r.id, ops: r.operations, failed: r.failed, errors: r.errors })),
        );
        expect(
            reports.map((r) => r.failed),
            summary,
        ).to.deep.equal([0, 0, 0]);
        // 2 registries × (create + 5 credentials + 6 reads + delete) per process.
        expect(reports.map((r) => r.operations)).to.deep.equal([26, 26, 26]);
        const admitted = log.filter((r) => r.status !== 429);
        expect(admitted).to.have.length(78);
        expect(admitted.every((r) => r.status >= 200 && r.status < 300)).to.equal(true);
        // 78 requests do not fit one hour of 60 less the reserve: the processes waited for the hour.
        expect(reports.reduce((n, r) => n + r.quotaWaits, 0)).to.be.greaterThan(0);
        const times = admitted.map((r) => Date.parse(r.time));
        expect(peakInWindow(times, 1000)).to.be.at.most(20);
        expect(peakInWindow(times, 4000)).to.be.at.most(60);
        expect(emu.snapshot().registries).to.deep.equal([]);
    });
});
