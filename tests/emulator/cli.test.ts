import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SMALL_FIXTURE } from "./helpers";

const ROOT = join(__dirname, "..", "..");

describe("emulator: CLI", function () {
  this.timeout(20000);

  it("prints DIGITALOCEAN_API_URL and DIGITALOCEAN_TOKEN, serves the fixture, stops on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "docr-cli-"));
    const fixture = join(dir, "fixture.json");
    writeFileSync(fixture, JSON.stringify(SMALL_FIXTURE));
    const faults = join(dir, "faults.json");
    writeFileSync(faults, JSON.stringify([{ operationId: "registries_get_options", status: 503 }]));
    const child = spawn(
      process.execPath,
      [require.resolve("ts-node/dist/bin.js"), "--transpile-only", join(ROOT, "emulator", "cli.ts"), "--fixture", fixture, "--token", "cli-token", "--seed", "5", "--rate-limit", "100", "--faults", faults],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          const nl = out.indexOf("\n");
          if (nl >= 0) resolve(out.slice(0, nl));
        });
        child.on("exit", (code) => reject(new Error(`cli exited early with ${code}`)));
      });
      const m = /^DIGITALOCEAN_API_URL=(http:\/\/127\.0\.0\.1:\d+) DIGITALOCEAN_TOKEN=(\S+)$/.exec(line);
      expect(m, line).to.not.equal(null);
      expect(m?.[2]).to.equal("cli-token");
      const res = await fetch(`${m?.[1]}/v2/registries/acme`, { headers: { authorization: "Bearer cli-token" } });
      expect(res.status).to.equal(200);
      expect(res.headers.get("ratelimit-limit")).to.equal("100");
      const faulted = await fetch(`${m?.[1]}/v2/registries/options`, { headers: { authorization: "Bearer cli-token" } });
      expect(faulted.status).to.equal(503);
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
