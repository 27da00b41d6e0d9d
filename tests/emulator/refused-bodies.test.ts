/**
 * The emulator keeps nothing of what it refuses (issue 20): a request it refuses (no token, a
 * cross-site browser) is answered without its body being read, and what the request log keeps of
 * any body is a bounded prefix.
 */
import { expect } from "chai";
import * as net from "node:net";
import { startEmulator, type RunningEmulator } from "../../emulator";

/** Sends headers announcing `length` body bytes, and none of them; resolves with the status line. */
function announceOnly(url: string, headers: Record<string, string>, length: number): Promise<string> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
        const socket = net.connect(Number(port), hostname);
        let got = "";
        const timer = setTimeout(() => {
            socket.destroy();
            resolve("(no answer within 2 s)");
        }, 2_000);
        socket.on("data", (chunk: Buffer) => {
            got += chunk.toString("latin1");
            if (got.includes("\r\n")) {
                clearTimeout(timer);
                socket.destroy();
                resolve(got.slice(0, got.indexOf("\r\n")));
            }
        });
        socket.on("error", reject);
        const lines = Object.entries({
            ...headers,
            "content-type": "application/json",
            "content-length": String(length),
        })
            .map(([k, v]) => `${k}: ${v}`)
            .join("\r\n");
        socket.write(`POST /v2/registries HTTP/1.1\r\nhost: ${hostname}:${port}\r\n${lines}\r\n\r\n`);
    });
}

describe("emulator: bodies of requests it refuses, and of those it logs", function () {
    this.timeout(30_000);
    let emu: RunningEmulator | undefined;
    afterEach(async () => {
        await emu?.stop();
        emu = undefined;
    });

    it("a request without the token is answered 401 before its body arrives, and the log keeps no body", async () => {
        emu = await startEmulator();
        expect(await announceOnly(emu.url, {}, 1024 * 1024)).to.equal("HTTP/1.1 401 Unauthorized");
        expect(emu.requests().map((r) => [r.status, r.body])).to.deep.equal([[401, undefined]]);
    });

    it("a cross-site browser request is answered 403 before its body arrives, and the log keeps no body", async () => {
        emu = await startEmulator();
        const status = await announceOnly(
            emu.url,
            { authorization: `Bearer ${emu.token}`, "sec-fetch-site": "cross-site" },
            1024 * 1024,
        );
        expect(status).to.equal("HTTP/1.1 403 Forbidden");
        expect(emu.requests().map((r) => [r.status, r.body])).to.deep.equal([[403, undefined]]);
    });

    it("of an accepted 1 MiB body, the log keeps a prefix of 16 KiB", async () => {
        emu = await startEmulator();
        const big = JSON.stringify({ name: "x".repeat(1024 * 1024 - 20) });
        const res = await fetch(`${emu.url}/v2/registries`, {
            method: "POST",
            headers: { authorization: `Bearer ${emu.token}`, "content-type": "application/json" },
            body: big,
        });
        expect(res.status).to.be.within(400, 499);
        const [logged] = emu.requests();
        expect(logged?.body).to.be.a("string");
        expect((logged.body as string).length).to.be.below(17 * 1024);
        expect(logged.body).to.match(/^\{"name":"xxx.*… \(1048\d+ characters, cut\)$/);
    });
});
