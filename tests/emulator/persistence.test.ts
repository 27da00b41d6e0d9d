import { expect } from "chai";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { at, call, SMALL_FIXTURE, start } from "./helpers";

describe("emulator: state persistence", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "docr-emu-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("persists every change atomically and reloads it on restart", async () => {
    const statePath = join(dir, "state.json");
    const first = await start({ statePath, fixture: SMALL_FIXTURE });
    expect(existsSync(statePath)).to.equal(true);
    await call(first, "POST", "/v2/registries/subscription", { tier_slug: "professional" });
    await call(first, "POST", "/v2/registries", { name: "second", region: "sgp1" });
    await call(first, "DELETE", "/v2/registries/acme/repositories/team%2Fapp/tags/v1");
    await call(first, "GET", "/v2/registries/second/docker-credentials?read_write=true");
    expect(readdirSync(dir)).to.deep.equal(["state.json"]);
    await first.stop();

    const second = await start({ statePath });
    try {
      const list = await call(second, "GET", "/v2/registries");
      expect((list.json.registries as unknown[]).map((r) => at(r, "name"))).to.deep.equal(["acme", "second"]);
      expect(at((await call(second, "GET", "/v2/registries/subscription")).json, "subscription.tier.slug")).to.equal("professional");
      const tags = await call(second, "GET", "/v2/registries/acme/repositories/team%2Fapp/tags");
      expect((tags.json.tags as { tag: string }[]).map((t) => t.tag)).to.deep.equal(["latest", "v2"]);
      expect(second.credentials()).to.have.length(1);
      expect((await call(second, "POST", "/v2/registries/validate-name", { name: "someone-elses" })).status).to.equal(409);
    } finally {
      await second.stop();
    }
  });

  it("refuses at start a state file whose entries are malformed, naming the file and the first bad path", async () => {
    const statePath = join(dir, "state.json");
    const first = await start({ statePath, fixture: SMALL_FIXTURE });
    await first.stop();
    const good = JSON.parse(readFileSync(statePath, "utf8")) as { registries: { createdAt: unknown }[] };
    good.registries[0]!.createdAt = 12;
    writeFileSync(statePath, JSON.stringify(good));
    const err = await start({ statePath }).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.equal(`${statePath} is not an emulator state file: registries[0].createdAt: Invalid input: expected string, received number`);
  });

  it("removes the temp files a writer killed mid-write left beside the state file, and nothing else", async () => {
    const statePath = join(dir, "state.json");
    const leftover = `${statePath}.999999.tmp`;
    writeFileSync(leftover, "x".repeat(1024 * 1024));
    const unrelated = [join(dir, "state.json.backup.tmp"), join(dir, "other.json.999999.tmp"), join(dir, "notes.txt")];
    for (const f of unrelated) writeFileSync(f, "keep");
    const emu = await start({ statePath, fixture: SMALL_FIXTURE });
    await emu.stop();
    expect(existsSync(leftover)).to.equal(false);
    for (const f of unrelated) expect(existsSync(f), f).to.equal(true);
  });

  it("reset returns to a fresh account and persists that", async () => {
    const statePath = join(dir, "state.json");
    const emu = await start({ statePath, fixture: SMALL_FIXTURE });
    const res = await fetch(`${emu.url}/_emulator/reset`, { method: "POST" });
    expect(res.status).to.equal(204);
    expect(emu.snapshot()).to.deep.equal({ subscription: null, takenNames: [], registries: [], credentials: [], clusters: [] });
    await emu.stop();
    const again = await start({ statePath });
    expect(again.snapshot().registries).to.deep.equal([]);
    await again.stop();
  });

  it("admin seed accepts a fixture (with generated repositories) and rejects bad ones", async () => {
    const emu = await start();
    try {
      const ok = await fetch(`${emu.url}/_emulator/seed`, {
        method: "POST",
        body: JSON.stringify({ registries: [{ name: "gen", repositories: [{ name: "ci/app", generate: { tagCount: 50, untaggedCount: 5, seed: 1 } }] }] }),
      });
      expect(ok.status).to.equal(200);
      const tags = await call(emu, "GET", "/v2/registries/gen/repositories/ci%2Fapp/tags?per_page=1");
      expect(tags.json.meta).to.deep.equal({ total: 50 });
      const state = (await (await fetch(`${emu.url}/_emulator/state`)).json()) as { subscription: { tier: string } };
      expect(state.subscription.tier).to.equal("basic");
      const bad = await fetch(`${emu.url}/_emulator/seed`, { method: "POST", body: JSON.stringify({ registries: [{ name: "Bad Name" }] }) });
      expect(bad.status).to.equal(422);
    } finally {
      await emu.stop();
    }
  });
});
