import { expect } from "chai";
import type {
    Policy,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { docrPolicies, DOCR_TYPES, type DocrPolicyOptions } from "../../policy";

type Kind = keyof typeof DOCR_TYPES;

/** The config a policy gets: its schema's defaults under what a `--policy-pack-config` file sets. */
function configOf(policy: Policy, config: Record<string, unknown>): Record<string, unknown> {
    const defaults = Object.entries(policy.configSchema?.properties ?? {}).filter(([, s]) => s.default !== undefined);
    return { ...Object.fromEntries(defaults.map(([k, s]) => [k, s.default])), ...config };
}

function find<P extends Policy>(name: string, options?: DocrPolicyOptions): P {
    const policy = docrPolicies(options).find((p) => p.name === name);
    if (!policy) throw new Error(`no policy ${name}`);
    return policy as P;
}

/** The violations `validateResource` reports for one resource, as the policy host calls it. */
async function violations(
    name: string,
    kind: Kind,
    props: Record<string, unknown>,
    config: Record<string, unknown> = {},
    options?: DocrPolicyOptions,
): Promise<string[]> {
    const policy = find<ResourceValidationPolicy>(name, options);
    const found: string[] = [];
    const args = {
        type: DOCR_TYPES[kind],
        name: "res",
        urn: `urn:pulumi:dev::p::${DOCR_TYPES[kind]}::res`,
        props,
        getConfig: () => configOf(policy, config),
    } as Partial<ResourceValidationArgs> as ResourceValidationArgs;
    const validate = policy.validateResource;
    if (!validate || Array.isArray(validate)) throw new Error("one validation per policy");
    await validate(args, (message) => found.push(message));
    return found;
}

describe("policy: pulumi-docr/policy for @pulumi/policy", function () {
    it("exports five policies with their enforcement levels, changeable by options", function () {
        expect(docrPolicies().map((p) => [p.name, p.enforcementLevel])).to.deep.equal([
            ["docr-credentials-expire", "mandatory"],
            ["docr-pull-credentials-expire", "advisory"],
            ["docr-allowed-regions", "mandatory"],
            ["docr-monthly-budget", "mandatory"],
            ["docr-retention-required", "advisory"],
        ]);
        const levels = docrPolicies({ enforcementLevels: { "docr-monthly-budget": "advisory" } });
        expect(levels.find((p) => p.name === "docr-monthly-budget")?.enforcementLevel).to.equal("advisory");
    });

    it("docr-credentials-expire: push credentials must expire within maxPushExpirySeconds (default one day)", async function () {
        const rule = "docr-credentials-expire";
        expect(await violations(rule, "RegistryCredentials", { readWrite: true, expirySeconds: 0 })).to.deep.equal([
            'RegistryCredentials "res": push credentials (readWrite) with expirySeconds 0 never expire; the limit is 86400 seconds (maxPushExpirySeconds)',
        ]);
        expect(await violations(rule, "RegistryCredentials", { readWrite: true, expirySeconds: 90_000 })).to.deep.equal(
            [
                'RegistryCredentials "res": push credentials (readWrite) expire after expirySeconds 90000; the limit is 86400 seconds (maxPushExpirySeconds)',
            ],
        );
        expect(await violations(rule, "RegistryCredentials", { readWrite: true, expirySeconds: 3600 })).to.deep.equal(
            [],
        );
        expect(await violations(rule, "RegistryCredentials", { readWrite: false, expirySeconds: 0 })).to.deep.equal([]);
        const configured = { maxPushExpirySeconds: 600 };
        expect(
            await violations(rule, "RegistryCredentials", { readWrite: true, expirySeconds: 3600 }, configured),
        ).to.have.length(1);
        expect(await violations(rule, "Registry", { readWrite: true }), "other types are not matched").to.deep.equal(
            [],
        );
    });

    it("docr-pull-credentials-expire: pull credentials that never expire are reported", async function () {
        const rule = "docr-pull-credentials-expire";
        expect(await violations(rule, "RegistryCredentials", { readWrite: false, expirySeconds: 0 })).to.deep.equal([
            'RegistryCredentials "res": pull credentials with expirySeconds 0 never expire; set expirySeconds (a leaked credential then stops working)',
        ]);
        expect(await violations(rule, "RegistryCredentials", { readWrite: false, expirySeconds: 3600 })).to.deep.equal(
            [],
        );
    });

    it("docr-allowed-regions: only once configured; a registry elsewhere or without a region is named", async function () {
        const rule = "docr-allowed-regions";
        expect(await violations(rule, "Registry", { name: "acme", region: "fra1" })).to.deep.equal([]);
        const nyc = { regions: ["nyc3"] };
        expect(await violations(rule, "Registry", { name: "acme", region: "fra1" }, nyc)).to.deep.equal([
            'Registry "res": region "fra1" is not allowed; allowed: nyc3 (regions)',
        ]);
        expect(await violations(rule, "Registry", { name: "acme" }, nyc)).to.deep.equal([
            'Registry "res": no region set, so the API picks one; allowed: nyc3 (regions)',
        ]);
        expect(await violations(rule, "Registry", { name: "acme", region: "nyc3" }, nyc)).to.deep.equal([]);
        expect(await violations(rule, "Registry", { region: "fra1" }, {}, { regions: ["fra1"] })).to.deep.equal([]);
    });

    it("docr-monthly-budget: the estimate check put in the inputs, against maxMonthlyUsd", async function () {
        const rule = "docr-monthly-budget";
        const pro = { tierSlug: "professional", estimatedMonthlyCostCents: 2004 };
        expect(await violations(rule, "Subscription", pro)).to.deep.equal([]);
        expect(await violations(rule, "Subscription", pro, { maxMonthlyUsd: 10 })).to.deep.equal([
            'Subscription "res": plan "professional" costs an estimated $20.04 a month (plan plus storage overage at the team\'s current storage); the budget is $10.00 a month (maxMonthlyUsd)',
        ]);
        expect(await violations(rule, "Subscription", pro, { maxMonthlyUsd: 20.04 })).to.deep.equal([]);
        const registry = { name: "acme", subscriptionTierSlug: "basic" };
        expect(await violations(rule, "Registry", registry, { maxMonthlyUsd: 10 })).to.deep.equal([
            'Registry "res": plan "basic" has no monthly cost estimate (the API gave no price for it, or the provider could not ask: see the preview\'s "registry plan" lines); the budget is $10.00 a month (maxMonthlyUsd)',
        ]);
        expect(
            await violations(rule, "Registry", { name: "acme" }, { maxMonthlyUsd: 1 }),
            "sets no plan",
        ).to.deep.equal([]);
    });

    it("docr-retention-required: a registry without a RetentionPolicy, by name or by dependency", async function () {
        const policy = find<StackValidationPolicy>("docr-retention-required");
        const resource = (kind: Kind, name: string, props: Record<string, unknown>, deps: PolicyResource[] = []) =>
            ({
                type: DOCR_TYPES[kind],
                name,
                urn: `urn:${name}`,
                props,
                dependencies: deps,
                propertyDependencies: deps.length ? { registryName: deps } : {},
            }) as Partial<PolicyResource> as PolicyResource;
        const run = async (resources: PolicyResource[]) => {
            const found: [string, string | undefined][] = [];
            const args = { resources, getConfig: () => ({}) } as Partial<StackValidationArgs> as StackValidationArgs;
            await policy.validateStack(args, (message, urn) => found.push([message, urn]));
            return found;
        };
        const a = resource("Registry", "a", { name: "acme-a" });
        const b = resource("Registry", "b", {});
        expect(await run([a, b])).to.deep.equal([
            [
                'Registry "a": registry "acme-a" has no RetentionPolicy; at least one is required (its registryName set to this registry\'s name)',
                "urn:a",
            ],
            [
                'Registry "b": registry has no RetentionPolicy; at least one is required (its registryName set to this registry\'s name)',
                "urn:b",
            ],
        ]);
        const byName = resource("RetentionPolicy", "pa", { registryName: "acme-a" });
        const byDependency = resource("RetentionPolicy", "pb", {}, [b]);
        expect(
            (await run([a, b, byName])).map(([, urn]) => urn),
            "a policy covers its own registry only",
        ).to.deep.equal(["urn:b"]);
        expect(await run([a, b, byName, byDependency])).to.deep.equal([]);
    });
});
