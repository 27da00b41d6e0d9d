/**
 * The first program to run with a token. From a clone (`npm ci && npm pack` at the root), here:
 *
 *   npm install
 *   pulumi stack init dev
 *   pulumi config set --secret digitalocean:token <token>
 *   pulumi up                                    # reads only: regions, tiers, your registries
 *   pulumi config set registryName <a globally unique name>
 *   pulumi up                                    # creates the registry and pull credentials
 *
 * Without `registryName` it creates nothing (and costs nothing). With it, it creates a registry on
 * the free `starter` tier unless the team already has a plan (or `tier` is set), and read-only
 * credentials for it.
 */
import * as pulumi from "@pulumi/pulumi";
import { Registry, RegistryCredentials, getRegistries, getRegistryOptions, getSubscription } from "pulumi-docr";

const config = new pulumi.Config();
const registryName = config.get("registryName");

export = async () => {
    const [options, { registries }, plan] = await Promise.all([
        getRegistryOptions(),
        getRegistries(),
        getSubscription().catch(() => undefined),
    ]);
    const outputs: Record<string, unknown> = {
        availableRegions: options.availableRegions,
        tiers: options.subscriptionTiers.map(
            (t) =>
                `${t.slug} ($${t.monthlyPriceInCents / 100}/month)${t.eligible ? "" : " not eligible: " + t.eligibilityReasons.join(", ")}`,
        ),
        currentTier: plan?.tierSlug,
        existingRegistries: registries.map((r) => `${r.name} (${r.region})`),
    };
    if (registryName === undefined) return outputs;

    // A team has one plan: only set it when asked to, or when the team has none yet.
    const tier = config.get("tier") ?? (plan ? undefined : "starter");
    const registry = new Registry("registry", {
        name: registryName,
        region: config.get("region") ?? options.availableRegions[0],
        ...(tier ? { subscriptionTierSlug: tier } : {}),
    });
    const pull = new RegistryCredentials("pull", { registryName: registry.name });
    return {
        ...outputs,
        registryServer: registry.serverUrl,
        registryRegion: registry.region,
        pullDockerConfigJson: pulumi.secret(pull.dockerConfigJson),
    };
};
