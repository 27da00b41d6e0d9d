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

  it("requests without the token get 401 and leave the token's window alone (the API counts per token)", async () => {
    const emu = await startEmulator({ rateLimitPerMinute: 3 });
    try {
      for (const token of [null, "dop_v1_not_the_token"]) {
        for (let i = 0; i < 5; i++) expect((await call(emu, "GET", "/v2/registries", undefined, token)).status).to.equal(401);
      }
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await call(emu, "GET", "/v2/registries");
        expect(r.status).to.equal(200);
        remaining.push(r.headers.get("ratelimit-remaining") ?? "");
      }
      expect(remaining).to.deep.equal(["2", "1", "0"]);
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
