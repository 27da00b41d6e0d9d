import { expect } from "chai";
import { startEmulator } from "../../emulator";
import { call } from "./helpers";

describe("emulator: rate limiting", () => {
  it("sends ratelimit-* headers and answers 429 with Retry-After past the per-minute limit", async () => {
    const emu = await startEmulator({ rateLimitPerMinute: 3 });
    try {
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await call(emu, "GET", "/v2/registries");
        expect(r.status).to.equal(200);
        expect(r.headers.get("ratelimit-limit")).to.equal("3");
        remaining.push(r.headers.get("ratelimit-remaining") ?? "");
      }
      expect(remaining).to.deep.equal(["2", "1", "0"]);
      const limited = await call(emu, "GET", "/v2/registries");
      expect(limited.status).to.equal(429);
      expect(limited.json.id).to.equal("too_many_requests");
      expect(Number(limited.headers.get("retry-after"))).to.be.within(1, 60);
      const reset = Number(limited.headers.get("ratelimit-reset"));
      expect(reset).to.be.within(Date.now() / 1000, Date.now() / 1000 + 61);
      expect(emu.requests().map((r) => r.status)).to.deep.equal([200, 200, 200, 429]);
    } finally {
      await emu.stop();
    }
  });

  it("requests without the token get 401 and do not use up the token's window (the API counts per token)", async () => {
    const emu = await startEmulator({ rateLimitPerMinute: 3 });
    try {
      for (const token of [null, "wrong-token", `${emu.token}x`, "", null]) {
        const r = await call(emu, "GET", "/v2/registries", undefined, token);
        expect(r.status, String(token)).to.equal(401);
        expect(r.json.id).to.equal("unauthorized");
        expect(r.headers.get("ratelimit-remaining")).to.equal("3");
        expect(r.headers.get("retry-after")).to.equal(null);
      }
      // Refused before routing (a body over the limit), still without the token: not counted either.
      const big = await call(emu, "POST", "/v2/registries", "x".repeat(1024 * 1024 + 1), null);
      expect(big.status).to.equal(413);
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

  it("0 disables limiting but keeps the headers", async () => {
    const emu = await startEmulator({ rateLimitPerMinute: 0 });
    try {
      for (let i = 0; i < 300; i++) expect((await call(emu, "GET", "/v2/registries/options")).status).to.equal(200);
      const r = await call(emu, "GET", "/v2/registries", undefined, null);
      expect(r.headers.get("ratelimit-remaining")).to.match(/^\d+$/);
    } finally {
      await emu.stop();
    }
  });
});
