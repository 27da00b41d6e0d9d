import type * as pulumi from "@pulumi/pulumi";
import { ClusterRegistryIntegrationProvider } from "./cluster-registry-integration";
import { GarbageCollectionProvider } from "./garbage-collection";
import { providerWithConfigHints } from "./hints";
import { RegistryProvider } from "./registry";
import { RegistryCredentialsProvider } from "./registry-credentials";
import { RetentionPolicyProvider } from "./retention-policy";
import { SubscriptionProvider } from "./subscription";
import type { ConfiguredProvider } from "./common";
import type { ProviderKind } from "./kind";

export type { ProviderKind } from "./kind";

/** A fresh implementation of a resource's provider (its errors name the stack config keys to check). */
export function createProvider(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
    return providerWithConfigHints(implementation(kind));
}

/** Each kind's implementation (a missing or unknown kind fails to compile). */
const PROVIDERS = {
    Registry: RegistryProvider,
    Subscription: SubscriptionProvider,
    RegistryCredentials: RegistryCredentialsProvider,
    RetentionPolicy: RetentionPolicyProvider,
    GarbageCollection: GarbageCollectionProvider,
    ClusterRegistryIntegration: ClusterRegistryIntegrationProvider,
} satisfies Record<ProviderKind, new () => pulumi.dynamic.ResourceProvider>;

/** An implementation whose every method, `update` too (the base class declares only the others), fits Pulumi's interface for its own inputs and outputs. */
type FitsPulumi<C> = C extends new () => ConfiguredProvider<infer I, infer O>
    ? C extends new () => pulumi.dynamic.ResourceProvider<I, O>
        ? C
        : never
    : never;
const IMPLEMENTATIONS: { [K in ProviderKind]: FitsPulumi<(typeof PROVIDERS)[K]> } = PROVIDERS;

function implementation(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
    // `kind` comes from state, which a later version may have written.
    if (!Object.hasOwn(IMPLEMENTATIONS, kind)) throw new Error(`pulumi-docr has no resource kind "${String(kind)}"`);
    return new IMPLEMENTATIONS[kind]();
}
