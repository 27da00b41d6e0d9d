/** The kinds of resource whose serialized provider (serialized.ts) loads an implementation (implementations.ts). */
export type ProviderKind =
    | "Registry"
    | "Subscription"
    | "RegistryCredentials"
    | "RetentionPolicy"
    | "GarbageCollection"
    | "ClusterRegistryIntegration";

/** The type Pulumi gives a dynamic resource of this package's `kind`, in URNs, state and policy packs. */
export function resourceType<K extends ProviderKind>(kind: K): `pulumi-nodejs:dynamic/docr:${K}` {
    return `pulumi-nodejs:dynamic/docr:${kind}`;
}
