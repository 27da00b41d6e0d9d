import { expect } from "chai";
import { encodeSegment, expandPath } from "../../provider/client/paths";
import { clientFor, type FakeServer, json, startFakeServer } from "./fake-server";

describe("client paths: encoding", () => {
    let server: FakeServer | undefined;
    afterEach(async () => server?.close());

    it("encodeSegment encodes / and reserved characters, keeps : and @", () => {
        expect(encodeSegment("team/app")).to.equal("team%2Fapp");
        expect(encodeSegment("a b+c?d#e%f")).to.equal("a%20b%2Bc%3Fd%23e%25f");
        expect(encodeSegment("sha256:abc")).to.equal("sha256:abc");
        expect(
            expandPath("op", "/v2/registries/{registry_name}/repositories/{repository_name}", {
                registry_name: "acme",
                repository_name: "a/b/c",
            }),
        ).to.equal("/v2/registries/acme/repositories/a%2Fb%2Fc");
    });

    it("a repository team/app arrives as team%2Fapp in the raw request URL, for every repository call", async () => {
        server = await startFakeServer((seen, res) => {
            if (seen.method === "DELETE") {
                res.statusCode = 204;
                return res.end();
            }
            json(
                res,
                200,
                seen.url.includes("/tags") ? { tags: [], meta: { total: 0 } } : { manifests: [], meta: { total: 0 } },
            );
        });
        const client = clientFor(server.url);
        for await (const _ of client.listTags("acme", "team/app")) void _;
        for await (const _ of client.listManifests("acme", "team/app")) void _;
        await client.deleteRepository("acme", "team/app");
        await client.deleteTag("acme", "team/app", "v1.0+build");
        await client.deleteManifest("acme", "team/app", "sha256:cb8a924afd");
        expect(server.requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal([
            "GET /v2/registries/acme/repositories/team%2Fapp/tags?per_page=200&page=1",
            "GET /v2/registries/acme/repositories/team%2Fapp/digests?per_page=200&page=1",
            "DELETE /v2/registries/acme/repositories/team%2Fapp",
            "DELETE /v2/registries/acme/repositories/team%2Fapp/tags/v1.0%2Bbuild",
            "DELETE /v2/registries/acme/repositories/team%2Fapp/digests/sha256:cb8a924afd",
        ]);
    });

    it("does not decode or double-encode: a literal %2F in a name travels as %252F", async () => {
        server = await startFakeServer((_s, res) => {
            res.statusCode = 204;
            res.end();
        });
        await clientFor(server.url).deleteRepository("acme", "odd%2Fname");
        await clientFor(server.url).deleteRepository("acme", "with space/ü");
        expect(server.requests[0].url).to.equal("/v2/registries/acme/repositories/odd%252Fname");
        expect(server.requests[1].url).to.equal("/v2/registries/acme/repositories/with%20space%2F%C3%BC");
    });

    it("sends the documented query parameters and JSON bodies", async () => {
        server = await startFakeServer((seen, res) => {
            if (seen.url.includes("docker-credentials"))
                return json(res, 200, { auths: { "registry.digitalocean.com": { auth: "dXNlcjpwYXNz" } } });
            if (seen.url.includes("garbage-collection/"))
                return json(res, 200, { garbage_collection: { uuid: "u-1", status: "cancelled" } });
            if (seen.url.endsWith("garbage-collection"))
                return json(res, 201, { garbage_collection: { uuid: "u-2", status: "requested" } });
            json(res, 201, { registry: { name: "acme", region: "fra1" } });
        });
        const client = clientFor(server.url);
        await client.getDockerCredentials("acme", { readWrite: true, expirySeconds: 3600 });
        await client.getDockerCredentials("acme");
        await client.createRegistry({ name: "acme", region: "fra1", subscription_tier_slug: "basic" });
        await client.startGarbageCollection("acme", { type: "unreferenced blobs only" });
        await client.cancelGarbageCollection("acme", "u-1");
        const [c1, c2, create, gc, cancel] = server.requests;
        expect(c1.url).to.equal("/v2/registries/acme/docker-credentials?read_write=true&expiry_seconds=3600");
        expect(c2.url).to.equal("/v2/registries/acme/docker-credentials");
        expect(create.method).to.equal("POST");
        expect(JSON.parse(create.body)).to.deep.equal({
            name: "acme",
            region: "fra1",
            subscription_tier_slug: "basic",
        });
        expect(create.headers["content-type"]).to.equal("application/json");
        expect(JSON.parse(gc.body)).to.deep.equal({ type: "unreferenced blobs only" });
        expect(cancel.method).to.equal("PUT");
        expect(cancel.url).to.equal("/v2/registries/acme/garbage-collection/u-1");
        expect(JSON.parse(cancel.body)).to.deep.equal({ cancel: true });
    });
});
