/** The kinds of resource whose serialized provider (serialized.ts) loads an implementation (implementations.ts). */
export type ProviderKind =
    | "Registry"
    | "Subscription"
    | "RegistryCredentials"
    | "RetentionPolicy"
    | "GarbageCollection"
    | "ClusterRegistryIntegration";
