/** How Pulumi presents this package's resources to a policy pack: dynamic resources of module `docr`. */
export const TYPES = {
    Registry: "pulumi-nodejs:dynamic/docr:Registry",
    Subscription: "pulumi-nodejs:dynamic/docr:Subscription",
    RegistryCredentials: "pulumi-nodejs:dynamic/docr:RegistryCredentials",
    RetentionPolicy: "pulumi-nodejs:dynamic/docr:RetentionPolicy",
} as const;

/** `Registry "app"`: how a violation names the resource (its type's short name and its Pulumi name). */
export function named(type: string, name: string): string {
    return `${type.slice(type.lastIndexOf(":") + 1)} "${name}"`;
}
