import { expect } from "chai";
import Bottleneck from "bottleneck";
import { sharedLimiter } from "../../provider/client/limiter";
import { clientFor, delay, FakeServer, json, startFakeServer } from "./fake-server";

const REGISTRY = { registry: { name: "acme" } };

describe("client limiter: process-wide", () => {
  let server: FakeServer | undefined;
  const savedEnv = process.env.DOCR_MAX_REQUESTS_PER_MINUTE;
  afterEach(async () => {
    await server?.close();
    if (savedEnv === undefined) delete process.env.DOCR_MAX_REQUESTS_PER_MINUTE;
    else process.env.DOCR_MAX_REQUESTS_PER_MINUTE = savedEnv;
  });

  it("lives on globalThis under Symbol.for(\"pulumi-docr.limiter\"), shared by equal settings", () => {
    const a = sharedLimiter({ maxRequestsPerMinute: 250, maxConcurrentRequests: 8 });
    const b = sharedLimiter({ maxRequestsPerMinute: 250, maxConcurrentRequests: 8 });
    expect(a).to.equal(b);
    expect(a).to.be.instanceOf(Bottleneck);
    const holder = (globalThis as unknown as Record<symbol, Map<string, Bottleneck>>)[Symbol.for("pulumi-docr.limiter")];
    expect(holder).to.be.instanceOf(Map);
    expect([...holder!.values()]).to.include(a);
  });

  it("spaces request starts across all clients of the process (no sliding minute over the limit)", async () => {
    server = await startFakeServer((_s, res) => json(res, 200, REGISTRY));
    // 1200/min = one start every 50 ms, whichever client sends it.
    const one = clientFor(server.url, { maxRequestsPerMinute: 1200 });
    const two = clientFor(server.url, { maxRequestsPerMinute: 1200 });
    await Promise.all([0, 1, 2, 3, 4, 5].map((i) => (i % 2 === 0 ? one : two).getRegistry("acme")));
    const at = server.requests.map((r) => r.at).sort((x, y) => x - y);
    expect(at).to.have.length(6);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!, `gap ${i}`).to.be.at.least(40);
  });

  it("reads DOCR_MAX_REQUESTS_PER_MINUTE at construction", async () => {
    server = await startFakeServer((_s, res) => json(res, 200, REGISTRY));
    process.env.DOCR_MAX_REQUESTS_PER_MINUTE = "600"; // 100 ms apart
    const client = clientFor(server.url, { maxRequestsPerMinute: undefined });
    const started = Date.now();
    await Promise.all([1, 2, 3, 4].map(() => client.getRegistry("acme")));
    expect(Date.now() - started).to.be.at.least(280);
  });

  it("time queued behind the limiter does not use up a request's retry budget", async () => {
    // 600/min: starts 100 ms apart; the 8th request waits ~700 ms in the queue, longer than the budget.
    server = await startFakeServer((_s, res, _r, n) => (n === 8 ? json(res, 503, { id: "server_error", message: "once" }) : json(res, 200, REGISTRY)));
    const client = clientFor(server.url, { maxRequestsPerMinute: 600, maxRetryTimeMs: 300 });
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
