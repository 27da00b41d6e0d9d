import { resourceType } from "../provider/resources/kind";

/** How Pulumi presents this package's resources to a policy pack: dynamic resources of module `docr`. */
export const TYPES = {
    Registry: resourceType("Registry"),
    Subscription: resourceType("Subscription"),
    RegistryCredentials: resourceType("RegistryCredentials"),
    RetentionPolicy: resourceType("RetentionPolicy"),
} as const;

/** `Registry "app"`: how a violation names the resource (its type's short name and its Pulumi name). */
export function named(type: string, name: string): string {
    return `${type.slice(type.lastIndexOf(":") + 1)} "${name}"`;
}
