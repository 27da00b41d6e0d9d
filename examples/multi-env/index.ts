/**
 * One registry per environment: stacks `dev`, `staging` and `prod` (Pulumi.<stack>.yaml).
 *
 * Each environment gets
 *  - a registry with its own name and region,
 *  - the team's subscription tier, chosen in config and checked against `getRegistryOptions`
 *    before anything is changed (the program fails early, naming the eligibility reasons),
 *  - read-only pull credentials for its clusters (renewed by `pulumi up` in their last week),
 *  - short-lived push credentials for CI (renewed by `pulumi up` near expiry),
 * and exports both docker configs as secrets.
 *
 * Teams and tiers: the tier belongs to the DigitalOcean team, not to one registry, and a team
 * with more than one registry needs the `professional` tier. Here every environment is its own
 * team (its own `digitalocean:token` per stack), which keeps prod isolated from dev. If your
 * environments share one team, set `tier: professional` in every stack.
 *
 * What a config change previews as:
 *
 *   $ pulumi config set tier professional --stack prod      # tier: in place
 *   $ pulumi preview --stack prod
 *     ~ docr:Registry registry update [diff: ~subscriptionTierSlug]
 *
 *   $ pulumi config set region ams3 --stack dev             # region: replace
 *   $ pulumi preview --stack dev
 *     +- docr:Registry registry replace [diff: ~region]
 *     +- docr:RegistryCredentials cluster-pull replace [diff: ~registryName]
 *     +- docr:RegistryCredentials ci-push replace [diff: ~registryName]
 *
 * A region change deletes the old registry first (names are global), and with it every image:
 * push them again after the replacement. The credentials depend on the registry, so the engine
 * replaces them too (deleted before the registry, issued again for the new one). `npm run demo` at the repository root runs this very
 * program for `dev` and `prod` against a local emulator and shows both changes.
 */
import * as pulumi from "@pulumi/pulumi";
import { Registry, RegistryCredentials, getRegistryOptions, getSubscription } from "pulumi-docr";

const config = new pulumi.Config();
const stack = pulumi.getStack();

/** Per-environment settings, from Pulumi.<stack>.yaml. */
const settings = {
    /** Globally unique across DigitalOcean: pick your own. */
    registryName: config.require("registryName"),
    region: config.require("region"),
    tier: config.require("tier"),
    /** Lifetime of the CI push credentials (default one hour). */
    ciPushExpirySeconds: config.getNumber("ciPushExpirySeconds") ?? 3600,
    /** Lifetime of the cluster pull credentials (default 30 days). */
    pullExpirySeconds: config.getNumber("pullExpirySeconds") ?? 30 * 24 * 3600,
};

/**
 * Fails before any change when the region is not offered or the team may not switch to the tier,
 * with the API's reasons (e.g. `OverRepositoryLimit`), instead of a 412 half-way through `pulumi up`.
 * `pulumi.RunError`: the CLI shows the message alone, without the program's stack trace. A tier
 * refused without a reason (the options name none for the registry count) is left to the
 * `Registry`'s own check at preview, which names the cause.
 */
async function checkSettings(): Promise<void> {
    const options = await getRegistryOptions();
    if (!options.availableRegions.includes(settings.region)) {
        fail(
            `${stack}: region "${settings.region}" is not available; choose one of ${options.availableRegions.join(", ")}`,
        );
    }
    const tier = options.subscriptionTiers.find((t) => t.slug === settings.tier);
    if (!tier) {
        const offered = options.subscriptionTiers.map((t) => t.slug).join(", ");
        fail(`${stack}: tier "${settings.tier}" is not offered; choose one of ${offered}`);
    }
    if (!tier.eligible && tier.eligibilityReasons.length > 0 && (await currentTier()) !== tier.slug) {
        fail(
            `${stack}: the team is not eligible for the "${tier.slug}" tier (${tier.eligibilityReasons.join(", ")}): ` +
                "delete repositories or images (and run garbage collection) first, or choose a larger tier",
        );
    }
}

/**
 * Stops the program with this message alone: a `RunError` is reported without a stack trace. Its
 * stack is dropped as well: on Node 20 and 22, formatting the stack of an error thrown here takes
 * Pulumi's run script 30 s or more (docs/node.md), and it would show nothing the message does not.
 */
function fail(message: string): never {
    const err = new pulumi.RunError(message);
    err.stack = undefined;
    throw err;
}

/** The team's tier today; undefined for a team that has never had a registry. */
async function currentTier(): Promise<string | undefined> {
    try {
        return (await getSubscription()).tierSlug || undefined;
    } catch {
        return undefined;
    }
}

/** Pulumi runs an exported async function and uses what it returns as the stack outputs. */
export = async () => {
    await checkSettings();

    const registry = new Registry("registry", {
        name: settings.registryName,
        region: settings.region,
        subscriptionTierSlug: settings.tier,
    });

    // Clusters pull with read-only credentials; a `pulumi up` in their last week issues new ones.
    const pull = new RegistryCredentials("cluster-pull", {
        registryName: registry.name,
        readWrite: false,
        expirySeconds: settings.pullExpirySeconds,
        renewBeforeSeconds: Math.floor(settings.pullExpirySeconds / 4),
    });

    // CI pushes with short-lived credentials; a `pulumi up` in the second half of their life renews them.
    const push = new RegistryCredentials("ci-push", {
        registryName: registry.name,
        readWrite: true,
        expirySeconds: settings.ciPushExpirySeconds,
        renewBeforeSeconds: Math.floor(settings.ciPushExpirySeconds / 2),
    });

    return {
        environment: stack,
        registryServer: registry.serverUrl,
        registryRegion: registry.region,
        tier: registry.subscriptionTierSlug,
        /** For a kubernetes.io/dockerconfigjson Secret in the cluster. */
        pullDockerConfigJson: pulumi.secret(pull.dockerConfigJson),
        pullExpiresAt: pull.expiresAt,
        /** For CI, into a docker config of its own: `DOCKER_CONFIG=$(mktemp -d)`, then `pulumi stack output pushDockerConfigJson --show-secrets > "$DOCKER_CONFIG/config.json"`. */
        pushDockerConfigJson: pulumi.secret(push.dockerConfigJson),
        pushExpiresAt: push.expiresAt,
    };
};
