import { expect } from "chai";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { DocrClient, errorKind } from "../../provider/client";
import { apiError, caught, clientFor, type FakeServer, json, startFakeServer } from "./fake-server";

const REGISTRY = { registry: { name: "acme" } };

/** Admitted requests (not refused by the limiter) in arrival order. */
function admitted(emu: RunningEmulator) {
    return emu.requests().filter((r) => r.status !== 429);
}

describe("client: the API's hourly quota", () => {
    let emu: RunningEmulator | undefined;
    let server: FakeServer | undefined;
    afterEach(async () => {
        await emu?.stop();
        emu = undefined;
        await server?.close();
        server = undefined;
    });

    it("keeps the reserve: remaining never goes below it, the rest waits for ratelimit-reset, nothing is refused", async () => {
        // 20 an "hour" of 3 s; a reserve of 0.2 keeps 4 of them for the rest of the team.
        emu = await startEmulator({
            rateLimitPerMinute: 0,
            rateLimitPerHour: 20,
            hourWindowMs: 3000,
            fixture: { registries: [{ name: "acme" }] },
        });
        const client = new DocrClient({
            token: emu.token,
            apiUrl: emu.url,
            quotaReserve: 0.2,
            maxRequestsPerMinute: 1_000_000,
        });
        const began = Date.now();
        const done: number[] = [];
        const results = await Promise.allSettled(
            Array.from({ length: 24 }, () => client.getRegistry("acme").then(() => void done.push(Date.now() - began))),
        );
        expect(results.map((r) => r.status)).to.deep.equal(Array(24).fill("fulfilled"));
        const log = emu.requests();
        expect(
            log.filter((r) => r.status === 429),
            "nothing refused",
        ).to.have.length(0);
        const remaining = log.map((r) => r.rateRemaining ?? -1);
        expect(Math.min(...remaining), `remaining after each request: ${remaining.join(",")}`).to.be.at.least(4);
        // Most of the 16 above the reserve went out in the first hour window; the rest waited for its
        // oldest requests to expire.
        done.sort((a, b) => a - b);
        const early = done.filter((t) => t < 1500).length;
        expect(early, `completion times ${done.join(",")}`).to.be.within(10, 16);
        expect(done[early]).to.be.at.least(2900);
        expect(client.quota()).to.include({ limit: 20, reserve: 4, perMinuteLimit: 1_000_000 });
        expect(client.quota().remaining).to.be.within(4, 20);
        expect(client.quota().resetAt).to.be.a("number");
    });

    it("without a reserve it spends the quota to the last request (the test above can fail)", async () => {
        emu = await startEmulator({
            rateLimitPerMinute: 0,
            rateLimitPerHour: 6,
            hourWindowMs: 60_000,
            fixture: { registries: [{ name: "acme" }] },
        });
        const client = new DocrClient({
            token: emu.token,
            apiUrl: emu.url,
            quotaReserve: 0,
            maxRequestsPerMinute: 1_000_000,
        });
        await Promise.all(Array.from({ length: 6 }, () => client.getRegistry("acme")));
        expect(
            admitted(emu)
                .map((r) => r.rateRemaining)
                .sort(),
        ).to.deep.equal([0, 1, 2, 3, 4, 5]);
        expect(client.quota()).to.include({ remaining: 0, reserve: 0 });
    });

    it("reports a long wait through notice; past maxQuotaWaitMs asks the API once and fails with its answer", async () => {
        emu = await startEmulator({
            rateLimitPerMinute: 0,
            rateLimitPerHour: 3,
            hourWindowMs: 6500,
            fixture: { registries: [{ name: "acme" }] },
        });
        const notices: string[] = [];
        const client = new DocrClient({
            token: emu.token,
            apiUrl: emu.url,
            quotaReserve: 0,
            maxRequestsPerMinute: 1_000_000,
            notice: (m) => notices.push(m),
        });
        for (let i = 0; i < 3; i++) await client.getRegistry("acme");
        expect(notices).to.deep.equal([]);

        // Another client of the same token in this process knows the quota is spent; past its budget it
        // asks the API once rather than refuse on old news, and fails with the API's word.
        const impatient = new DocrClient({
            token: emu.token,
            apiUrl: emu.url,
            quotaReserve: 0,
            maxQuotaWaitMs: 1000,
            maxRequestsPerMinute: 1_000_000,
        });
        const err = await caught(() => impatient.getRegistry("acme"));
        expect(errorKind(err)).to.equal("rate_limited");
        expect(err.message).to.match(
            /waiting \d+ ms more for the API's hourly quota would exceed the 1000 ms quota wait budget \(maxQuotaWaitMs/,
        );
        expect(emu.requests().map((r) => r.status)).to.deep.equal([200, 200, 200, 429]);

        const started = Date.now();
        await client.getRegistry("acme");
        expect(Date.now() - started).to.be.at.least(5000);
        expect(notices).to.have.length(1);
        expect(notices[0]).to.match(
            /^waiting \d+ s for the API's hourly quota \(ratelimit-reset\): 0 of 3 requests left/,
        );
        expect(emu.requests().map((r) => r.status)).to.deep.equal([200, 200, 200, 429, 200]);
    });

    it("a 429's wait counts against maxQuotaWaitMs, not the fault retry budget, and not against maxAttempts", async () => {
        server = await startFakeServer((_s, res, _r, n) => {
            if (n === 1) return apiError(res, 429, "too_many_requests", "slow down", { "retry-after": "2" });
            if (n <= 5) return apiError(res, 429, "too_many_requests", "slow down", { "retry-after": "0" });
            json(res, 200, REGISTRY);
        });
        const notices: string[] = [];
        // The old rule (429s inside a 1 s retry budget, 2 attempts) would have failed this call at once.
        const registry = await clientFor(server.url, {
            maxRetryTimeMs: 1000,
            maxAttempts: 2,
            notice: (m) => notices.push(m),
        }).getRegistry("acme");
        expect(registry.name).to.equal("acme");
        expect(server.requests).to.have.length(6);
        expect(server.requests[1].at - server.requests[0].at).to.be.at.least(1950);
        // 2 s is below the 5 s a notice takes.
        expect(notices).to.deep.equal([]);
    });

    it("reports a long 429 wait (Retry-After) through notice, naming the window", async () => {
        server = await startFakeServer((_s, res, _r, n) =>
            n === 1
                ? apiError(res, 429, "too_many_requests", "slow down", {
                      "retry-after": "5",
                      "ratelimit-remaining": "0",
                      "ratelimit-limit": "5000",
                  })
                : json(res, 200, REGISTRY),
        );
        const notices: string[] = [];
        await clientFor(server.url, { quotaReserve: 0, notice: (m) => notices.push(m) }).getRegistry("acme");
        expect(notices).to.have.length(1);
        expect(notices[0]).to.match(/^waiting 5 s for the API's hourly quota \(Retry-After\)$/);
    });
});
