import { inspect } from "node:util";
import { expect } from "chai";
import { DEFAULT_API_URL, hasToken, isLoopbackHost, resolveConnection } from "../../provider/client/connection";
import { DocrClient, errorKind } from "../../provider/client";
import { caught } from "./fake-server";

const VARS = [
    "DIGITALOCEAN_TOKEN",
    "DIGITALOCEAN_ACCESS_TOKEN",
    "DIGITALOCEAN_API_URL",
    "DOCR_MAX_REQUESTS_PER_MINUTE",
    "DOCR_QUOTA_RESERVE",
    "DOCR_MAX_QUOTA_WAIT_MS",
] as const;

describe("client config: resolveConnection", () => {
    const saved: Record<string, string | undefined> = {};
    beforeEach(() => {
        for (const v of VARS) {
            saved[v] = process.env[v];
            delete process.env[v];
        }
    });
    afterEach(() => {
        for (const v of VARS) {
            if (saved[v] === undefined) delete process.env[v];
            else process.env[v] = saved[v];
        }
    });

    it("uses DIGITALOCEAN_TOKEN", () => {
        process.env.DIGITALOCEAN_TOKEN = "from-token";
        expect(resolveConnection().token).to.equal("from-token");
    });

    it("falls back to DIGITALOCEAN_ACCESS_TOKEN", () => {
        process.env.DIGITALOCEAN_ACCESS_TOKEN = "from-access";
        expect(resolveConnection().token).to.equal("from-access");
    });

    it("prefers the override, then DIGITALOCEAN_TOKEN, then DIGITALOCEAN_ACCESS_TOKEN", () => {
        process.env.DIGITALOCEAN_TOKEN = "env-token";
        process.env.DIGITALOCEAN_ACCESS_TOKEN = "env-access";
        expect(resolveConnection({ token: "explicit" }).token).to.equal("explicit");
        expect(resolveConnection().token).to.equal("env-token");
    });

    it("treats blank values as absent and trims a trailing newline", () => {
        process.env.DIGITALOCEAN_TOKEN = "   ";
        process.env.DIGITALOCEAN_ACCESS_TOKEN = "abc\n";
        expect(resolveConnection({ token: "" }).token).to.equal("abc");
    });

    it("reads the environment at call time, not at import", () => {
        process.env.DIGITALOCEAN_TOKEN = "first";
        expect(resolveConnection().token).to.equal("first");
        process.env.DIGITALOCEAN_TOKEN = "second";
        expect(resolveConnection().token).to.equal("second");
    });

    it("without a token: a configuration error naming the option and both variables, not Pulumi's config", () => {
        let err: unknown;
        try {
            resolveConnection();
        } catch (e) {
            err = e;
        }
        expect(errorKind(err)).to.equal("configuration");
        const message = (err as Error).message;
        expect(message).to.include("DIGITALOCEAN_TOKEN");
        expect(message).to.include("DIGITALOCEAN_ACCESS_TOKEN");
        expect(message).to.include("token option");
        expect(message).to.not.match(/pulumi|digitalocean:token/i);
    });

    it("DocrClient refuses to construct without a token (never an empty Bearer)", () => {
        expect(() => new DocrClient()).to.throw(/DIGITALOCEAN_ACCESS_TOKEN/);
        expect(() => new DocrClient({ token: "  " })).to.throw(/token option/);
    });

    it("hasToken: true/false, never throws", () => {
        expect(hasToken()).to.equal(false);
        expect(hasToken({ token: "x" })).to.equal(true);
        process.env.DIGITALOCEAN_ACCESS_TOKEN = "y";
        expect(hasToken()).to.equal(true);
        process.env.DIGITALOCEAN_API_URL = "http://example.com"; // invalid URL does not matter here
        expect(hasToken()).to.equal(true);
    });

    it("base URL: override, else DIGITALOCEAN_API_URL, else the public API", () => {
        expect(resolveConnection({ token: "t" }).apiUrl).to.equal(DEFAULT_API_URL);
        process.env.DIGITALOCEAN_API_URL = "https://proxy.example.com/do/";
        expect(resolveConnection({ token: "t" }).apiUrl).to.equal("https://proxy.example.com/do");
        expect(resolveConnection({ token: "t", apiUrl: "http://127.0.0.1:9999" }).apiUrl).to.equal(
            "http://127.0.0.1:9999",
        );
    });

    it("refuses plain http to a host that is not loopback", () => {
        for (const apiUrl of ["http://api.digitalocean.com", "http://10.0.0.1:8080", "http://127.example.com"]) {
            let err: unknown;
            try {
                resolveConnection({ token: "secret-token-value", apiUrl });
            } catch (e) {
                err = e;
            }
            expect(errorKind(err), apiUrl).to.equal("configuration");
            expect((err as Error).message).to.match(/plain http/);
            expect((err as Error).message).not.to.include("secret-token-value");
        }
        process.env.DIGITALOCEAN_API_URL = "http://api.digitalocean.com";
        expect(() => resolveConnection({ token: "t" })).to.throw(/plain http/);
    });

    it("allows plain http to loopback hosts", () => {
        for (const apiUrl of ["http://127.0.0.1:1", "http://127.1.2.3", "http://localhost:8080", "http://[::1]:8080"]) {
            expect(resolveConnection({ token: "t", apiUrl }).apiUrl).to.match(/^http:\/\//);
        }
    });

    it("rejects URLs that are invalid, not http(s), or carry credentials", () => {
        for (const apiUrl of [
            "not a url",
            "ftp://127.0.0.1",
            "https://user:pw@api.example.com",
            "https://api.example.com/?x=1",
        ]) {
            expect(() => resolveConnection({ token: "t", apiUrl }), apiUrl)
                .to.throw()
                .with.property("kind", "configuration");
        }
    });

    it("rejects a token with inner whitespace without echoing it", async () => {
        const err = await caught(() => Promise.resolve().then(() => resolveConnection({ token: "abc def-secret" })));
        expect(err.kind).to.equal("configuration");
        expect(err.message).not.to.include("def-secret");
    });

    it("isLoopbackHost", () => {
        expect(isLoopbackHost("127.0.0.1")).to.equal(true);
        expect(isLoopbackHost("[::1]")).to.equal(true);
        expect(isLoopbackHost("LOCALHOST")).to.equal(true);
        expect(isLoopbackHost("128.0.0.1")).to.equal(false);
        expect(isLoopbackHost("localhost.evil.com")).to.equal(false);
        expect(isLoopbackHost("127.0.0.256")).to.equal(false);
    });

    it("invalid numeric options and DOCR_MAX_REQUESTS_PER_MINUTE are configuration errors", () => {
        expect(() => new DocrClient({ token: "t", timeoutMs: 0 })).to.throw(/timeoutMs/);
        expect(() => new DocrClient({ token: "t", maxAttempts: -1 })).to.throw(/maxAttempts/);
        process.env.DOCR_MAX_REQUESTS_PER_MINUTE = "lots";
        expect(() => new DocrClient({ token: "t" })).to.throw(/DOCR_MAX_REQUESTS_PER_MINUTE/);
    });

    it("quotaReserve is a share from 0 to below 1 (option or DOCR_QUOTA_RESERVE); maxQuotaWaitMs a duration", () => {
        for (const bad of [1, -0.1, 5, Number.NaN]) {
            expect(() => new DocrClient({ token: "t", quotaReserve: bad }), String(bad)).to.throw(
                /quotaReserve: .*from 0 to below 1/,
            );
        }
        expect(() => new DocrClient({ token: "t", maxQuotaWaitMs: -1 })).to.throw(/maxQuotaWaitMs/);
        process.env.DOCR_QUOTA_RESERVE = "20%";
        expect(() => new DocrClient({ token: "t" })).to.throw(/DOCR_QUOTA_RESERVE must be a share .* got "20%"/);
        process.env.DOCR_QUOTA_RESERVE = "0.5";
        expect(new DocrClient({ token: "t", apiUrl: "http://127.0.0.1:9" }).quota()).to.include({
            reserve: undefined,
            perMinuteLimit: 250,
        });
        delete process.env.DOCR_QUOTA_RESERVE;
        process.env.DOCR_MAX_QUOTA_WAIT_MS = "forever";
        expect(() => new DocrClient({ token: "t" })).to.throw(/DOCR_MAX_QUOTA_WAIT_MS/);
    });

    it("keeps the token out of console output and JSON of the client", () => {
        const client = new DocrClient({ token: "dop_v1_hidden_in_client" });
        expect(JSON.stringify(client)).not.to.include("hidden_in_client");
        expect(inspect(client, { depth: 10, showHidden: false })).not.to.include("hidden_in_client");
        expect(Object.keys(client)).to.deep.equal([]);
    });

    it("takes the API URL as apiUrl (the name of the config key) and refuses an unknown option by name, before any request", () => {
        const client = new DocrClient({ token: "t", apiUrl: "http://127.0.0.1:9" });
        expect(client.apiUrl).to.equal("http://127.0.0.1:9");
        // From JavaScript, `baseUrl` was silently ignored and the token went to the production API.
        const options = { token: "dop_v1_secret_in_options", baseUrl: "http://127.0.0.1:8080" };
        let err: unknown;
        try {
            new DocrClient(options);
        } catch (e) {
            err = e;
        }
        expect(errorKind(err)).to.equal("configuration");
        expect((err as Error).message).to.include('unknown DocrClient option "baseUrl"');
        expect((err as Error).message).to.include("apiUrl");
        expect((err as Error).message).to.not.include("dop_v1_secret_in_options");
    });
});
