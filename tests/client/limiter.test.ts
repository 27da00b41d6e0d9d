import { expect } from "chai";
import { limited, sharedLimiter } from "../../provider/client/limiter";
import { clientFor, delay, type FakeServer, json, startFakeServer } from "./fake-server";

const REGISTRY = { registry: { name: "acme" } };

describe("client limiter: process-wide", () => {
    let server: FakeServer | undefined;
    const savedEnv = process.env.DOCR_MAX_REQUESTS_PER_MINUTE;
    afterEach(async () => {
        await server?.close();
        if (savedEnv === undefined) delete process.env.DOCR_MAX_REQUESTS_PER_MINUTE;
        else process.env.DOCR_MAX_REQUESTS_PER_MINUTE = savedEnv;
    });

    it('lives on globalThis under Symbol.for("pulumi-docr.limiter"), shared by equal settings', () => {
        const a = sharedLimiter({ maxRequestsPerMinute: 250, maxConcurrentRequests: 8 });
        const b = sharedLimiter({ maxRequestsPerMinute: 250, maxConcurrentRequests: 8 });
        expect(a).to.equal(b);
        expect(a.starts).to.be.an("array");
        const holder = (globalThis as unknown as Record<symbol, Map<string, unknown>>)[
            Symbol.for("pulumi-docr.limiter")
        ];
        expect(holder).to.be.instanceOf(Map);
        expect([...holder.values()]).to.include(a);
    });

    it("lets a burst up to the limit start at once, then holds every sliding window to the limit", async () => {
        // 5 requests per 300 ms window, shared by every caller with these settings.
        const settings = { maxRequestsPerMinute: 5, maxConcurrentRequests: 16, windowMs: 300 };
        const starts: number[] = [];
        const begin = Date.now();
        await Promise.all(
            Array.from({ length: 12 }, () =>
                limited(settings, () => Promise.resolve(void starts.push(Date.now() - begin))),
            ),
        );
        starts.sort((x, y) => x - y);
        expect(
            starts.slice(0, 5).every((t) => t < 100),
            `burst: ${starts.join(",")}`,
        ).to.equal(true);
        expect(starts[5], "the 6th waits for the window").to.be.at.least(295);
        for (let i = 0; i < starts.length; i++) {
            const inWindow = starts.filter((t) => t >= starts[i] && t < starts[i] + 300).length;
            expect(inWindow, `window from ${starts[i]} ms`).to.be.at.most(5);
        }
    });

    it("reads DOCR_MAX_REQUESTS_PER_MINUTE at construction", async () => {
        server = await startFakeServer((_s, res) => json(res, 200, REGISTRY));
        process.env.DOCR_MAX_REQUESTS_PER_MINUTE = "3";
        const client = clientFor(server.url, { maxRequestsPerMinute: undefined, timeoutMs: 1000 });
        await Promise.all([1, 2, 3].map(() => client.getRegistry("acme")));
        // A 4th within the minute must wait for the window: it has not started after 300 ms.
        const fourth = client.getRegistry("acme");
        await delay(300);
        expect(server.requests).to.have.length(3);
        void fourth.catch(() => undefined);
    });

    it("time queued behind the limiter does not use up a request's retry budget", async () => {
        // One request in flight, each taking 100 ms: the 8th waits ~700 ms in the queue, longer than the budget.
        server = await startFakeServer(async (_s, res, _r, n) => {
            await delay(100);
            if (n === 8) json(res, 503, { id: "server_error", message: "once" });
            else json(res, 200, REGISTRY);
        });
        const client = clientFor(server.url, { maxConcurrentRequests: 1, maxRetryTimeMs: 300 });
        const results = await Promise.allSettled(Array.from({ length: 8 }, () => client.getRegistry("acme")));
        expect(results.map((r) => r.status)).to.deep.equal(Array(8).fill("fulfilled"));
        expect(server.requests).to.have.length(9);
    });

    it("caps requests in flight (maxConcurrentRequests)", async () => {
        server = await startFakeServer(async (_s, res) => {
            await delay(40);
            json(res, 200, REGISTRY);
        });
        const client = clientFor(server.url, { maxConcurrentRequests: 2 });
        await Promise.all(Array.from({ length: 8 }, () => client.getRegistry("acme")));
        expect(server.requests).to.have.length(8);
        expect(server.maxInFlight()).to.equal(2);
    });
});
