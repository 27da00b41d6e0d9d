import type * as pulumi from "@pulumi/pulumi";
import { ClusterRegistryIntegrationProvider } from "./cluster-registry-integration";
import { GarbageCollectionProvider } from "./garbage-collection";
import { providerWithConfigHints } from "./hints";
import { RegistryProvider } from "./registry";
import { RegistryCredentialsProvider } from "./registry-credentials";
import { RetentionPolicyProvider } from "./retention-policy";
import { SubscriptionProvider } from "./subscription";
import type { ProviderKind } from "./kind";

export type { ProviderKind } from "./kind";

/** A fresh implementation of a resource's provider (its errors name the stack config keys to check). */
export function createProvider(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
    return providerWithConfigHints(implementation(kind));
}

function implementation(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
    switch (kind) {
        case "Registry":
            return new RegistryProvider();
        case "Subscription":
            return new SubscriptionProvider();
        case "RegistryCredentials":
            return new RegistryCredentialsProvider();
        case "RetentionPolicy":
            return new RetentionPolicyProvider();
        case "GarbageCollection":
            return new GarbageCollectionProvider();
        case "ClusterRegistryIntegration":
            return new ClusterRegistryIntegrationProvider();
    }
}
