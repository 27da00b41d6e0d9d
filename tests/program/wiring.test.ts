import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as sinon from "sinon";
// The mock monitor is what the SDK talks to under setMocks; spying on it shows what the engine would receive.
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import type * as provider from "../../provider";

interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

const registered: Registered[] = [];

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((done) => output.apply((v) => done(v)));
}

describe("program wiring (runtime mocks)", function () {
    let docr: typeof provider;

    /** Mocks answer like the provider would, from the inputs: enough to follow outputs between resources. */
    before(async function () {
        await pulumi.runtime.setMocks(
            {
                newResource(args) {
                    const inputs = args.inputs as Record<string, unknown>;
                    registered.push({ type: args.type, name: args.name, inputs });
                    const state: Record<string, unknown> = { ...inputs };
                    if (args.type.endsWith(":Registry"))
                        state.serverUrl = `registry.digitalocean.com/${String(inputs.name)}`;
                    if (args.type.endsWith(":RegistryCredentials")) state.dockerConfigJson = '{"auths":{}}';
                    return { id: `${args.name}-id`, state };
                },
                call: () => ({}),
            },
            "docr",
            "test",
            true,
        );
        // Loaded after setMocks: resources register against the mock monitor.
        docr = await import("../../provider");
    });

    it("registers each resource under its own readable type token", async function () {
        const reg = new docr.Registry("wiring-reg", {
            name: "acme-dev",
            region: "nyc3",
            subscriptionTierSlug: "basic",
        });
        const sub = new docr.Subscription("wiring-sub", { tierSlug: "basic" });
        const creds = new docr.RegistryCredentials("wiring-creds", {
            registryName: reg.name,
            readWrite: true,
            expirySeconds: 3600,
        });
        await Promise.all([resolve(reg.urn), resolve(sub.urn), resolve(creds.urn)]);
        const types = registered.filter((r) => r.name.startsWith("wiring-")).map((r) => r.type);
        expect(types).to.have.members([
            "pulumi-nodejs:dynamic/docr:Registry",
            "pulumi-nodejs:dynamic/docr:Subscription",
            "pulumi-nodejs:dynamic/docr:RegistryCredentials",
        ]);
    });

    it("flows the registry's name into credentials and exposes serverUrl", async function () {
        const reg = new docr.Registry("flow-reg", { name: "acme-flow" });
        const creds = new docr.RegistryCredentials("flow-creds", { registryName: reg.name });
        expect(await resolve(reg.serverUrl)).to.equal("registry.digitalocean.com/acme-flow");
        expect(await resolve(creds.registryName)).to.equal("acme-flow");
        await resolve(creds.urn);
        const registeredCreds = registered.find((r) => r.name === "flow-creds");
        expect(registeredCreds?.inputs.registryName).to.equal("acme-flow");
    });

    it("asks the engine to keep dockerConfigJson secret", async function () {
        // Secret outputs are applied by the engine, not by mocks: assert what the engine is sent.
        const sent = sinon.spy(MockMonitor.prototype, "registerResource");
        try {
            const creds = new docr.RegistryCredentials(
                "secret-creds",
                { registryName: "acme-secret" },
                { additionalSecretOutputs: ["serverUrl"] },
            );
            await resolve(creds.urn);
            // The SDK types the request as any; these are the two getters of RegisterResourceRequest used here.
            const requests = sent
                .getCalls()
                .map((c) => c.args[0] as { getName(): string; getAdditionalsecretoutputsList(): string[] });
            const request = requests.find((req) => req.getName() === "secret-creds");
            expect(request, "registerResource request").to.not.equal(undefined);
            expect(request?.getAdditionalsecretoutputsList()).to.have.members(["dockerConfigJson", "serverUrl"]);
        } finally {
            sent.restore();
        }
    });

    it("serializes a provider that carries no token, even when one is in the environment", async function () {
        const token = "dop_v1_wiring_token_should_never_be_serialized_0123456789";
        process.env.DIGITALOCEAN_TOKEN = token;
        try {
            const reg = new docr.Registry("token-reg", { name: "acme-token" });
            await resolve(reg.urn);
            const provider = registered.find((r) => r.name === "token-reg")?.inputs.__provider;
            expect(provider, "__provider registered").to.be.a("string");
            expect(provider).to.not.include(token);
        } finally {
            delete process.env.DIGITALOCEAN_TOKEN;
        }
    });
});
