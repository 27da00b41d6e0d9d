import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
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
            [
                require.resolve("ts-node/dist/bin.js"),
                "--transpile-only",
                join(ROOT, "emulator", "cli.ts"),
                "--fixture",
                fixture,
                "--token",
                "cli-token",
                "--seed",
                "5",
                "--rate-limit",
                "100",
                "--rate-limit-hour",
                "100",
                "--faults",
                faults,
            ],
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
            const faulted = await fetch(`${m?.[1]}/v2/registries/options`, {
                headers: { authorization: "Bearer cli-token" },
            });
            expect(faulted.status).to.equal(503);
            const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
            child.kill("SIGTERM");
            expect(await exited).to.equal(0);
        } finally {
            if (child.exitCode === null) child.kill("SIGKILL");
            rmSync(dir, { recursive: true, force: true });
        }
    });

    /** Starts `npm run emulator -- <args>` (what docs/emulator.md shows) and reads its two lines. */
    async function npmRunEmulator(
        args: string[],
    ): Promise<{ child: ChildProcess; url: string; token: string; stderr: () => string }> {
        const child = spawn("npm", ["run", "--silent", "emulator", "--", ...args], {
            cwd: ROOT,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let err = "";
        child.stderr.on("data", (c: Buffer) => (err += c.toString()));
        const line = await new Promise<string>((resolve, reject) => {
            let out = "";
            child.stdout.on("data", (c: Buffer) => {
                out += c.toString();
                const m = /DIGITALOCEAN_API_URL=\S+ DIGITALOCEAN_TOKEN=\S+/.exec(out);
                if (m) resolve(m[0]);
            });
            child.on("exit", (code) => reject(new Error(`npm run emulator exited early with ${code}: ${err}`)));
        });
        const [, url, token] = /DIGITALOCEAN_API_URL=(\S+) DIGITALOCEAN_TOKEN=(\S+)/.exec(line)!;
        await new Promise((r) => setTimeout(r, 200));
        return { child, url: url, token: token, stderr: () => err };
    }

    function alive(pid: number): boolean {
        try {
            process.kill(pid, 0);
            return true;
        } catch {
            return false;
        }
    }

    it("prints its PID; `kill <pid of npm>` stops the server too; with --state the token survives a restart", async () => {
        const dir = mkdtempSync(join(tmpdir(), "docr-cli-"));
        const state = join(dir, "state.json");
        try {
            const first = await npmRunEmulator(["--state", state]);
            const pid = Number(/pid (\d+)/.exec(first.stderr())?.[1]);
            expect(pid, first.stderr()).to.be.greaterThan(0);
            expect(alive(pid)).to.equal(true);
            first.child.kill("SIGTERM"); // npm itself, not the server
            const deadline = Date.now() + 5000;
            while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
            expect(alive(pid), "the server outlived npm").to.equal(false);

            const second = await npmRunEmulator(["--state", state]);
            try {
                expect(second.token).to.equal(first.token);
                const res = await fetch(`${second.url}/v2/registries`, {
                    headers: { authorization: `Bearer ${first.token}` },
                });
                expect(res.status).to.equal(200);
            } finally {
                second.child.kill("SIGTERM");
            }
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a port in use is one line naming the port, without the usage", async () => {
        const running = await npmRunEmulator([]);
        try {
            const port = new URL(running.url).port;
            const child = spawn("npm", ["run", "--silent", "emulator", "--", "--port", port], {
                cwd: ROOT,
                stdio: ["ignore", "pipe", "pipe"],
            });
            let err = "";
            child.stderr.on("data", (c: Buffer) => (err += c.toString()));
            const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
            expect(code).to.not.equal(0);
            expect(err).to.match(new RegExp(`docr-emulator: .*EADDRINUSE.*${port}`));
            expect(err).to.not.include("Usage:");
        } finally {
            running.child.kill("SIGTERM");
        }
    });

    it("a state file with a malformed entry stops the start with one line naming the file and the entry, without the usage", async () => {
        const dir = mkdtempSync(join(tmpdir(), "docr-cli-"));
        const state = join(dir, "state.json");
        writeFileSync(
            state,
            JSON.stringify({
                subscription: null,
                takenNames: [],
                registries: [{ name: "acme", region: 3 }],
                credentials: [],
            }),
        );
        const child = spawn(
            process.execPath,
            [
                require.resolve("ts-node/dist/bin.js"),
                "--transpile-only",
                join(ROOT, "emulator", "cli.ts"),
                "--state",
                state,
            ],
            {
                cwd: ROOT,
                stdio: ["ignore", "pipe", "pipe"],
            },
        );
        try {
            let out = "";
            let err = "";
            child.stderr.on("data", (c: Buffer) => (err += c.toString()));
            const outcome = await new Promise<number | null | "listening">((resolve) => {
                child.on("exit", resolve);
                child.stdout.on("data", (c: Buffer) => {
                    out += c.toString();
                    if (out.includes("DIGITALOCEAN_API_URL=")) resolve("listening");
                });
            });
            expect(outcome, "the CLI must refuse to start, not listen").to.equal(2);
            const prefix = `docr-emulator: ${state} is not an emulator state file: registries[0].region: `;
            expect(err.slice(0, prefix.length)).to.equal(prefix);
            expect(err.split("\n"), "one line").to.have.length(2);
            expect(err).to.not.include("Usage:");
        } finally {
            if (child.exitCode === null) child.kill("SIGKILL");
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
