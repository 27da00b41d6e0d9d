import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { bindResource, ProviderHost, startProviderHost, stripProvider, urn } from "../helpers/engine";
import { installPackedPackage, serializedAsInstalled } from "./installed";

describe("the package as users install it (npm pack into a fresh program)", function () {
    this.timeout(180_000);
    let appDir: string;
    let providers: Record<string, string>;

    before(function () {
        appDir = installPackedPackage();
        providers = serializedAsInstalled(appDir);
    });
    after(function () {
        if (appDir) fs.rmSync(path.dirname(appDir), { recursive: true, force: true });
    });

    it("serializes every resource's __provider under 16 KB, loading the installed code by reference", function () {
        expect(Object.keys(providers).sort()).to.deep.equal(["GarbageCollection", "Registry", "RegistryCredentials", "RetentionPolicy", "Subscription"]);
        for (const [type, text] of Object.entries(providers)) {
            expect(text.length, `${type} __provider bytes`).to.be.below(16 * 1024);
            expect(text, `${type} reaches the client through require`).to.match(/require\("pulumi-docr\/dist\/provider\//);
            expect(text, `${type} does not inline axios`).to.not.include("AxiosError");
        }
    });

    describe("driven by the host from the program directory", function () {
        let emulator: RunningEmulator;
        let host: ProviderHost;

        before(async function () {
            emulator = await startEmulator({ rateLimitPerMinute: 0 });
            host = await startProviderHost({ cwd: appDir });
            await host.configure({ "digitalocean:token": emulator.token, "digitalocean:apiUrl": emulator.url });
        });
        after(async function () {
            await host?.stop();
            await emulator?.stop();
        });

        it("creates, reads and deletes a registry with the installed provider", async function () {
            const reg = bindResource(host, providers.Registry, urn("pulumi-nodejs:dynamic/docr:Registry", "installed"));
            const checked = await reg.check({}, { name: "acme-installed", subscriptionTierSlug: "basic" });
            expect(checked.failures).to.deep.equal([]);
            const created = await reg.create(stripProvider(checked.inputs));
            expect(created.properties.serverUrl).to.equal("registry.digitalocean.com/acme-installed");
            expect((await reg.read(created.id, created.properties)).id).to.equal("acme-installed");
            await reg.delete(created.id, created.properties);
            expect(emulator.snapshot().registries).to.deep.equal([]);
        });
    });
});
