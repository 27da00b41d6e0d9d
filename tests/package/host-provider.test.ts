import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bindResource, type ProviderHost, serializeProvider, startProviderHost, urn } from "../../harness/engine";
import { serializedProvider } from "../../provider/resources/serialized";

/**
 * The serialized provider's `configure` puts the implementation's methods on the object the host
 * keeps (provider/resources/serialized.ts). These pin the two ways that could go wrong in the
 * real host: a call that arrives while `configure` is still running, and a host that cannot load
 * the package, where no call may succeed without the implementation (a destroy that "succeeds"
 * without deleting would drop a live registry from state).
 */
describe("the serialized provider in the host", function () {
    this.timeout(60_000);
    let text: string;

    before(async function () {
        text = await serializeProvider(serializedProvider("Registry"));
    });

    describe("when the host cannot load pulumi-docr/provider", function () {
        let host: ProviderHost;
        let emptyDir: string;

        before(async function () {
            emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-docr-no-package-"));
            host = await startProviderHost({ cwd: emptyDir });
            await host.configure({ "digitalocean:token": "test-token", "digitalocean:apiUrl": "http://127.0.0.1:9" });
        });
        after(async function () {
            await host?.stop();
            if (emptyDir) fs.rmSync(emptyDir, { recursive: true, force: true });
        });

        it("fails every call with the loading error, the first one and every one after it", async function () {
            const reg = bindResource(host, text, urn("pulumi-nodejs:dynamic/docr:Registry", "unloadable"));
            const state = { name: "acme", region: "nyc3", serverUrl: "registry.digitalocean.com/acme" };
            const calls: [string, () => Promise<unknown>][] = [
                ["check", () => reg.check({}, { name: "acme" })],
                ["create", () => reg.create({ name: "acme" })],
                ["read", () => reg.read("acme", state)],
                ["diff", () => reg.diff("acme", state, { name: "acme" })],
                ["update", () => reg.update("acme", state, { name: "acme", subscriptionTierSlug: "basic" })],
                ["delete", () => reg.delete("acme", state)],
            ];
            for (const [name, call] of calls) {
                const outcome = await call().then(
                    () => "succeeded",
                    (err: unknown) => (err instanceof Error ? err.message : String(err)),
                );
                expect(outcome, name).to.include("Cannot find module 'pulumi-docr/provider'");
            }
        });
    });

    describe("when calls arrive while configure runs", function () {
        let host: ProviderHost;

        before(async function () {
            host = await startProviderHost();
            await host.configure({ "digitalocean:token": "test-token", "digitalocean:apiUrl": "http://127.0.0.1:9" });
        });
        after(() => host?.stop());

        it("every one of the first concurrent calls reaches the implementation (its own validation answers)", async function () {
            const reg = bindResource(host, text, urn("pulumi-nodejs:dynamic/docr:Registry", "concurrent"));
            const results = await Promise.all([1, 2, 3, 4].map((i) => reg.check({}, { name: `Not_Valid_${i}` })));
            for (const result of results) {
                expect(result.failures.map((f) => f.property)).to.deep.equal(["name"]);
            }
        });
    });
});
