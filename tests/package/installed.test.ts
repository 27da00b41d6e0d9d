import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
    bindResource,
    type ProviderHost,
    serializeProvider,
    startProviderHost,
    stripProvider,
    urn,
} from "../../harness/engine";
import { installPackedPackage, linkedProgram, serializedAsInstalled } from "../../harness/package";
import { serializedProvider } from "../../provider/resources/serialized";

/** The most a resource's `__provider` may weigh: it is stored per resource and sent with every engine call. */
const MAX_PROVIDER_BYTES = 2_048;
const KINDS = [
    "ClusterRegistryIntegration",
    "GarbageCollection",
    "Registry",
    "RegistryCredentials",
    "RetentionPolicy",
    "Subscription",
] as const;

/** What every `__provider` must be, however the package is installed: the kind and a few lines, no implementation. */
function expectThin(providers: Record<string, string>, mode: string): void {
    expect(Object.keys(providers).sort(), mode).to.deep.equal([...KINDS]);
    for (const [type, text] of Object.entries(providers)) {
        expect(Buffer.byteLength(text), `${mode}: ${type} __provider bytes`).to.be.at.most(MAX_PROVIDER_BYTES);
        expect(text, `${mode}: ${type} loads the implementation by package name`).to.include(
            'require("pulumi-docr/provider")',
        );
        expect(text, `${mode}: ${type} carries its kind`).to.include(`kind: "${type}"`);
        expect(text, `${mode}: ${type} inlines no implementation code`).to.not.match(
            /axios|zod|DocrClient|registries_|validateInputs/,
        );
    }
}

describe("the package as users install it (npm pack into a fresh program)", function () {
    this.timeout(180_000);
    let appDir: string;
    let providers: Record<string, string>;

    before(function () {
        appDir = installPackedPackage();
        providers = serializedAsInstalled(appDir);
    });
    after(function () {
        if (appDir) fs.rmSync(appDir, { recursive: true, force: true });
    });

    it("serializes every resource with no typescript in the program (Pulumi's TypeScript 3.8 parser), in a few lines that load pulumi-docr/provider", function () {
        expect(
            fs.existsSync(path.join(appDir, "node_modules", "typescript")),
            "the program has no typescript",
        ).to.equal(false);
        expectThin(providers, "npm pack");
    });

    it("serializes the same few lines from a file: link (a symlink), which the host loads from that program, and from this repository's sources", async function () {
        const linkDir = linkedProgram();
        let emulator: RunningEmulator | undefined;
        let host: ProviderHost | undefined;
        try {
            const linked = serializedAsInstalled(linkDir);
            expectThin(linked, "file: link");
            expect(linked, "file: link and npm pack").to.deep.equal(providers);
            emulator = await startEmulator({ rateLimitPerMinute: 0 });
            host = await startProviderHost({ cwd: linkDir });
            await host.configure({ "digitalocean:token": emulator.token, "digitalocean:apiUrl": emulator.url });
            const reg = bindResource(host, linked.Registry, urn("pulumi-nodejs:dynamic/docr:Registry", "linked"));
            const created = await reg.create({ name: "acme-linked", subscriptionTierSlug: "basic" });
            expect((await reg.read(created.id, created.properties)).id).to.equal("acme-linked");
            await reg.delete(created.id, created.properties);
            expect(emulator.snapshot().registries).to.deep.equal([]);
        } finally {
            await host?.stop();
            await emulator?.stop();
            fs.rmSync(linkDir, { recursive: true, force: true });
        }
        const fromRepository: Record<string, string> = {};
        for (const kind of KINDS) fromRepository[kind] = await serializeProvider(serializedProvider(kind));
        expectThin(fromRepository, "this repository");
        expect(fromRepository, "this repository and npm pack").to.deep.equal(providers);
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

        it("refreshes, updates and destroys a registry whose state 0.1.0 wrote (its __provider requires dist/provider/resources/implementations.js)", async function () {
            const old = JSON.parse(
                fs.readFileSync(path.join(__dirname, "..", "fixtures", "provider-0.1.0.json"), "utf8"),
            ) as Record<string, string>;
            expect(old.Registry).to.include('require("pulumi-docr/dist/provider/resources/implementations.js")');
            const created = await bindResource(
                host,
                providers.Registry,
                urn("pulumi-nodejs:dynamic/docr:Registry", "legacy"),
            ).create({ name: "acme-legacy", subscriptionTierSlug: "basic" });
            const state = { ...created.properties, __provider: old.Registry };
            const reg = bindResource(host, old.Registry, urn("pulumi-nodejs:dynamic/docr:Registry", "legacy"));
            const read = await reg.read(created.id, state);
            expect(read.id).to.equal("acme-legacy");
            const updated = await reg.update(created.id, state, {
                ...stripProvider(state),
                subscriptionTierSlug: "professional",
                __provider: old.Registry,
            });
            expect(updated.properties.subscriptionTierSlug).to.equal("professional");
            expect(emulator.snapshot().subscription?.tier).to.equal("professional");
            await reg.delete(created.id, updated.properties);
            expect(emulator.snapshot().registries).to.deep.equal([]);
        });
    });
});
