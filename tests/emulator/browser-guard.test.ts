import { expect } from "chai";
import { request, type OutgoingHttpHeaders } from "node:http";
import { connect } from "node:net";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningEmulator } from "../../emulator";
import { SMALL_FIXTURE, start } from "./helpers";

interface RawReply {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    json: Record<string, unknown>;
}

/** One request with exactly these headers (fetch would not let a test choose Host); no `host`: the real one. */
function raw(
    emu: RunningEmulator,
    method: string,
    path: string,
    headers: OutgoingHttpHeaders & { host?: string },
): Promise<RawReply> {
    const { host, ...rest } = headers;
    const url = new URL(emu.url);
    return new Promise((resolve, reject) => {
        const req = request(
            {
                host: url.hostname,
                port: url.port,
                method,
                path,
                setHost: host === undefined,
                headers: { ...rest, ...(host === undefined ? {} : { host }) },
            },
            (res) => {
                let text = "";
                res.on("data", (c: Buffer) => (text += c.toString()));
                res.on("end", () =>
                    resolve({
                        status: res.statusCode ?? 0,
                        headers: res.headers,
                        json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
                    }),
                );
            },
        );
        req.on("error", reject);
        req.end();
    });
}

/** Sends `text` as is and returns the whole answer. */
function rawHttp10(emu: RunningEmulator, text: string): Promise<string> {
    const url = new URL(emu.url);
    return new Promise((resolve, reject) => {
        let out = "";
        const socket = connect(Number(url.port), url.hostname, () => socket.write(text));
        socket.on("data", (c: Buffer) => (out += c.toString()));
        socket.on("end", () => resolve(out));
        socket.on("error", reject);
    });
}

describe("emulator: requests a web page could send are refused", () => {
    let dir: string;
    let statePath: string;
    let emu: RunningEmulator;
    let port: string;
    beforeEach(async () => {
        dir = mkdtempSync(join(tmpdir(), "docr-guard-"));
        statePath = join(dir, "state.json");
        emu = await start({ statePath, fixture: SMALL_FIXTURE, rateLimitPerHour: 5 });
        port = new URL(emu.url).port;
    });
    afterEach(async () => {
        await emu.stop();
        rmSync(dir, { recursive: true, force: true });
    });

    function expectAccountIntact(): void {
        expect(emu.snapshot().registries.map((r) => r.name)).to.deep.equal(["acme"]);
        const onDisk = JSON.parse(readFileSync(statePath, "utf8")) as { registries: { name: string }[] };
        expect(onDisk.registries.map((r) => r.name)).to.deep.equal(["acme"]);
    }

    it("POST /_emulator/reset from a DNS-rebinding page (foreign Host) is 403 and the state file keeps the account", async () => {
        for (const host of [
            `evil.example:${port}`,
            "evil.example",
            `127.0.0.1.evil.example:${port}`,
            `localhost.evil.example:${port}`,
            `localhost:${port}x`,
            "",
        ]) {
            const r = await raw(emu, "POST", "/_emulator/reset", { host });
            expect(r.status, String(host)).to.equal(403);
            expect(r.json.id).to.equal("forbidden");
            expect(r.json.message)
                .to.be.a("string")
                .and.match(/^refused: Host /);
            expect(r.json.message).to.include("127.0.0.1, localhost or [::1]");
        }
        // Node answers 400 itself to HTTP/1.1 without Host; HTTP/1.0 reaches the emulator.
        const http10 = await rawHttp10(emu, "POST /_emulator/reset HTTP/1.0\r\n\r\n");
        expect(http10).to.match(/^HTTP\/1\.1 403 /);
        expect(http10).to.include("refused: no Host header");
        expectAccountIntact();
    });

    it("a browser Origin that is not loopback, or Sec-Fetch-Site: cross-site, is 403 on the admin routes", async () => {
        for (const origin of [
            "https://evil.example",
            "http://evil.example:8080",
            "null",
            `http://127.0.0.1.evil.example:${port}`,
            "http://localhost@evil.example",
        ]) {
            const r = await raw(emu, "POST", "/_emulator/reset", { origin });
            expect(r.status, origin).to.equal(403);
            expect(r.json).to.deep.equal({
                id: "forbidden",
                message: `refused: a browser request from Origin ${JSON.stringify(origin)}; only pages on 127.0.0.1, localhost or [::1] may call the emulator`,
            });
        }
        // An <img> or <script> tag: no Origin, but the browser says where it came from.
        const tag = await raw(emu, "GET", "/_emulator/state", { "sec-fetch-site": "cross-site" });
        expect(tag.status).to.equal(403);
        expect(tag.json.message).to.match(/Sec-Fetch-Site: cross-site/);
        const seed = await raw(emu, "POST", "/_emulator/faults", {
            origin: "https://evil.example",
            "content-type": "text/plain",
        });
        expect(seed.status).to.equal(403);
        expectAccountIntact();
    });

    it("loopback names (any port, any case), loopback origins and same-origin fetches still reach the admin routes", async () => {
        const accepted: OutgoingHttpHeaders[] = [
            {},
            { host: `localhost:${port}` },
            { host: `LOCALHOST:${port}` },
            { host: `[::1]:${port}` },
            { host: "127.0.0.1" },
            { origin: "http://localhost:3000" },
            { origin: `http://127.0.0.1:${port}`, "sec-fetch-site": "same-origin" },
            { origin: "http://[::1]:5173", "sec-fetch-site": "same-site" },
            { "sec-fetch-site": "none" },
        ];
        for (const headers of accepted) {
            const r = await raw(emu, "GET", "/_emulator/state", headers);
            expect(r.status, JSON.stringify(headers)).to.equal(200);
            expect(r.json.registries).to.have.length(1);
        }
        const reset = await raw(emu, "POST", "/_emulator/reset", { host: `localhost:${port}` });
        expect(reset.status).to.equal(204);
        expect(emu.snapshot().registries).to.deep.equal([]);
    });

    it("the /v2 API refuses a foreign Host or Origin too (403 in the API's error shape), even with the token, without using the rate limit", async () => {
        const authorization = `Bearer ${emu.token}`;
        const rebinding = await raw(emu, "DELETE", "/v2/registries/acme", {
            authorization,
            host: `evil.example:${port}`,
        });
        expect(rebinding.status).to.equal(403);
        expect(rebinding.json.id).to.equal("forbidden");
        expect(rebinding.json.message).to.match(/^refused: Host "evil\.example:\d+"/);
        expect(rebinding.json.request_id).to.equal(rebinding.headers["x-request-id"]);
        expect(rebinding.headers["ratelimit-remaining"]).to.equal("5");
        const page = await raw(emu, "DELETE", "/v2/registries/acme", { authorization, origin: "https://evil.example" });
        expect(page.status).to.equal(403);
        expect(page.headers["ratelimit-remaining"]).to.equal("5");
        expect(emu.requests().map((r) => [r.operationId, r.status])).to.deep.equal([
            ["registries_delete", 403],
            ["registries_delete", 403],
        ]);
        expectAccountIntact();
        const ok = await raw(emu, "GET", "/v2/registries/acme", { authorization, host: `localhost:${port}` });
        expect(ok.status).to.equal(200);
        expect(ok.headers["ratelimit-remaining"]).to.equal("4");
    });
});
