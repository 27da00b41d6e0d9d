/**
 * Answers about another registry, through the dynamic-provider host (issue 20): a create, a
 * look-up after a lost create, and credentials that name something other than what was asked for
 * are malformed answers; nothing enters state, and nothing is ever deleted by their name.
 */
import { expect } from "chai";
import { bindResource, startProviderHost, urn, type ProviderHost } from "../../harness/engine";
import { serializedProvider, WORLD_TOKEN } from "../../harness/world";
import { apiError, json, startFakeServer, type FakeServer } from "../client/fake-server";

/** A server that answers every registry question about "victim", and serves `auths` as given. */
function victimServer(auths: Record<string, { auth: string }>, createStatus = 201): Promise<FakeServer> {
    const victim = { name: "victim", region: "fra1", created_at: new Date().toISOString() };
    return startFakeServer((seen, res) => {
        const path = new URL(seen.url, "http://x").pathname;
        if (seen.method === "POST" && path === "/v2/registries")
            return createStatus === 201
                ? json(res, 201, { registry: victim })
                : apiError(res, createStatus, "server_error", "try later");
        if (seen.method === "GET" && path === "/v2/registries") return json(res, 200, { registries: [victim] });
        if (seen.method === "GET" && path.endsWith("/docker-credentials")) return json(res, 200, { auths });
        if (seen.method === "GET" && path.startsWith("/v2/registries/")) return json(res, 200, { registry: victim });
        if (seen.method === "DELETE") return res.writeHead(204).end();
        return apiError(res, 404, "not_found", "no such thing");
    });
}

describe("answers about another registry, through the host", function () {
    this.timeout(120_000);
    let host: ProviderHost | undefined;
    let server: FakeServer | undefined;
    afterEach(async function () {
        await host?.stop();
        await server?.close();
        host = undefined;
        server = undefined;
    });

    async function bound(kind: "Registry" | "RegistryCredentials") {
        await host?.stop();
        host = await startProviderHost({ env: { DOCR_RETRY_BASE_DELAY_MS: "5", DOCR_MAX_ATTEMPTS: "2" } });
        await host.configure({ "digitalocean:token": WORLD_TOKEN, "digitalocean:apiUrl": server!.url });
        return bindResource(host, await serializedProvider(kind), urn(`pulumi-nodejs:dynamic/docr:${kind}`, "x"));
    }

    function writes(): string[] {
        return server!.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.url}`);
    }

    for (const createStatus of [201, 503]) {
        it(`a create of "acme" answered ${createStatus === 201 ? 'with registry "victim"' : '503, then looked up as "victim"'}: fails naming both, adopts nothing, deletes nothing`, async function () {
            server = await victimServer({}, createStatus);
            const reg = await bound("Registry");
            const err = await reg.create({ name: "acme", region: "fra1" }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.match(/registr(y|ies)_\w+: .*registry "victim", not "acme" that was asked for/);
            expect(writes()).to.deep.equal(["POST /v2/registries"]);
        });
    }

    it("a create answered with a body nested 10,000 deep runs the lost-response path and adopts what it made", async function () {
        const deep = `${'{"a":'.repeat(10_000)}null${"}".repeat(10_000)}`;
        let createdAt: string | undefined;
        server = await startFakeServer((seen, res) => {
            const path = new URL(seen.url, "http://x").pathname;
            if (seen.method === "POST" && path === "/v2/registries") {
                createdAt = new Date().toISOString();
                res.writeHead(201, { "content-type": "application/json" });
                return res.end(`{"registry":${deep}}`);
            }
            if (seen.method === "GET" && path === "/v2/registries/acme" && createdAt !== undefined)
                return json(res, 200, { registry: { name: "acme", region: "fra1", created_at: createdAt } });
            return apiError(res, 404, "not_found", "no such thing");
        });
        const reg = await bound("Registry");
        const created = await reg.create({ name: "acme", region: "fra1" });
        expect(created.id).to.equal("acme");
        expect(writes()).to.deep.equal(["POST /v2/registries"]);
    });

    it("credentials filed under another host are refused, and serverUrl never comes from the answer", async function () {
        server = await victimServer({ "evil.example": { auth: "dXNlcjpwYXNz" } });
        const creds = await bound("RegistryCredentials");
        const err = await creds.create({ registryName: "acme", readWrite: false, expirySeconds: 3600 }).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(err?.message).to.match(
            /registries_get_dockerCredentials: malformed response at auths: the credentials are for "evil.example", not for "registry.digitalocean.com" alone/,
        );
        await server.close();

        server = await victimServer({ "registry.digitalocean.com": { auth: "dXNlcjpwYXNz" } });
        const again = await bound("RegistryCredentials");
        const created = await again.create({ registryName: "acme", readWrite: false, expirySeconds: 3600 });
        expect(created.properties.serverUrl).to.equal("registry.digitalocean.com");
    });
});
