import { expect } from "chai";
import { startEmulator } from "../../emulator";
import { call } from "./helpers";

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

describe("emulator: rate limiting", () => {
    it("answers 429 with Retry-After past the per-minute limit; the ratelimit-* headers report the hourly quota", async () => {
        const emu = await startEmulator({ rateLimitPerMinute: 3 });
        try {
            const remaining: string[] = [];
            for (let i = 0; i < 3; i++) {
                const r = await call(emu, "GET", "/v2/registries");
                expect(r.status).to.equal(200);
                // The API documents ratelimit-limit/remaining as the hourly quota (5,000), not the minute.
                expect(r.headers.get("ratelimit-limit")).to.equal("5000");
                remaining.push(r.headers.get("ratelimit-remaining") ?? "");
            }
            expect(remaining).to.deep.equal(["4999", "4998", "4997"]);
            const limited = await call(emu, "GET", "/v2/registries");
            expect(limited.status).to.equal(429);
            expect(limited.json.id).to.equal("too_many_requests");
            expect(Number(limited.headers.get("retry-after"))).to.be.within(1, 60);
            // A refused request takes no slot of the hour either.
            expect(limited.headers.get("ratelimit-remaining")).to.equal("4997");
            // The oldest request of the hour expires an hour after it was admitted.
            const reset = Number(limited.headers.get("ratelimit-reset"));
            expect(reset).to.be.within(Date.now() / 1000 + 3590, Date.now() / 1000 + 3601);
            expect(emu.requests().map((r) => r.status)).to.deep.equal([200, 200, 200, 429]);
        } finally {
            await emu.stop();
        }
    });

    it("models the hourly window too: 429 with Retry-After from whichever window refused, admitted again once the oldest expires", async () => {
        // Scaled down: 3 per 300 ms "minute", 5 per 2.5 s "hour".
        const emu = await startEmulator({
            rateLimitPerMinute: 3,
            minuteWindowMs: 300,
            rateLimitPerHour: 5,
            hourWindowMs: 2500,
        });
        try {
            const start = Date.now();
            const first = await Promise.all([1, 2, 3].map(() => call(emu, "GET", "/v2/registries")));
            expect(first.map((r) => r.status)).to.deep.equal([200, 200, 200]);
            expect(first.map((r) => r.headers.get("ratelimit-limit"))).to.deep.equal(["5", "5", "5"]);
            const byMinute = await call(emu, "GET", "/v2/registries");
            expect(byMinute.status).to.equal(429);
            // The minute frees within 300 ms (Retry-After is whole seconds, at least 1); the hour still has 2 left.
            expect(byMinute.headers.get("retry-after")).to.equal("1");
            expect(byMinute.headers.get("ratelimit-remaining")).to.equal("2");

            await sleep(350);
            const more = [await call(emu, "GET", "/v2/registries"), await call(emu, "GET", "/v2/registries")];
            expect(more.map((r) => r.status)).to.deep.equal([200, 200]);
            expect(more.map((r) => r.headers.get("ratelimit-remaining"))).to.deep.equal(["1", "0"]);

            await sleep(350);
            // The minute has room again; the hour has none: the hour refuses, and says until when.
            const byHour = await call(emu, "GET", "/v2/registries");
            expect(byHour.status).to.equal(429);
            expect(byHour.headers.get("ratelimit-remaining")).to.equal("0");
            const reset = Number(byHour.headers.get("ratelimit-reset"));
            expect(reset * 1000).to.be.within(start + 2500, start + 2500 + 1000 + 200);
            const retryAfter = Number(byHour.headers.get("retry-after"));
            expect(retryAfter).to.be.within(2, 3);

            await sleep(Math.max(0, start + 2500 + 100 - Date.now()));
            const again = await call(emu, "GET", "/v2/registries");
            expect(again.status, "the first three requests left the hour").to.equal(200);
            expect(again.headers.get("ratelimit-remaining")).to.equal("2");
            // The request log says what each response reported and which window refused.
            const log = emu.requests();
            expect(log.map((r) => r.refusedBy ?? r.status)).to.deep.equal([
                200,
                200,
                200,
                "minute",
                200,
                200,
                "hour",
                200,
            ]);
            expect(log.map((r) => r.rateRemaining)).to.deep.equal([4, 3, 2, 2, 1, 0, 0, 2]);
        } finally {
            await emu.stop();
        }
    });

    it("requests without the token get 401 and do not use up the token's windows (the API counts per token)", async () => {
        const emu = await startEmulator({ rateLimitPerHour: 3 });
        try {
            for (const token of [null, "wrong-token", `${emu.token}x`, "", null]) {
                const r = await call(emu, "GET", "/v2/registries", undefined, token);
                expect(r.status, String(token)).to.equal(401);
                expect(r.json.id).to.equal("unauthorized");
                expect(r.headers.get("ratelimit-remaining")).to.equal("3");
                expect(r.headers.get("retry-after")).to.equal(null);
            }
            // A body over the limit without the token: refused for the token, before its body is read; not counted either.
            const big = await call(emu, "POST", "/v2/registries", "x".repeat(1024 * 1024 + 1), null);
            expect(big.status).to.equal(401);
            expect(big.headers.get("ratelimit-remaining")).to.equal("3");
            const remaining: string[] = [];
            for (let i = 0; i < 3; i++) {
                const r = await call(emu, "GET", "/v2/registries");
                expect(r.status).to.equal(200);
                remaining.push(r.headers.get("ratelimit-remaining") ?? "");
            }
            expect(remaining).to.deep.equal(["2", "1", "0"]);
            expect((await call(emu, "GET", "/v2/registries")).status).to.equal(429);
            // Out of slots, a request without the token is still told it is not authenticated.
            const anonymous = await call(emu, "GET", "/v2/registries", undefined, null);
            expect(anonymous.status).to.equal(401);
            expect(anonymous.headers.get("ratelimit-remaining")).to.equal("0");
        } finally {
            await emu.stop();
        }
    });

    it("0 disables limiting (the minute's 0 the hour's too, unless the hour is set) but keeps the headers", async () => {
        const emu = await startEmulator({ rateLimitPerMinute: 0 });
        try {
            for (let i = 0; i < 300; i++)
                expect((await call(emu, "GET", "/v2/registries/options")).status).to.equal(200);
            const r = await call(emu, "GET", "/v2/registries", undefined, null);
            expect(r.headers.get("ratelimit-remaining")).to.equal("5000");
        } finally {
            await emu.stop();
        }
        const hourOnly = await startEmulator({ rateLimitPerMinute: 0, rateLimitPerHour: 2 });
        try {
            const statuses = [];
            for (let i = 0; i < 3; i++) statuses.push((await call(hourOnly, "GET", "/v2/registries")).status);
            expect(statuses).to.deep.equal([200, 200, 429]);
        } finally {
            await hourOnly.stop();
        }
    });
});
