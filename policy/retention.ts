/** docr-retention-required: every Registry of the stack has a RetentionPolicy (advisory). */
import type { EnforcementLevel, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { named, TYPES } from "./types";

/**
 * A policy covers a registry when its `registryName` is the registry's name, or (at preview, when
 * the name is not known yet) when it takes the name from that registry: it depends on it.
 */
function covers(policy: PolicyResource, registry: PolicyResource): boolean {
    const name: unknown = registry.props.name;
    if (typeof name === "string" && policy.props.registryName === name) return true;
    return (policy.propertyDependencies.registryName ?? policy.dependencies).some((d) => d.urn === registry.urn);
}

export function retentionRequired(level: EnforcementLevel): StackValidationPolicy {
    return {
        name: "docr-retention-required",
        description: "Every Registry the stack manages has a RetentionPolicy.",
        enforcementLevel: level,
        validateStack: (args, reportViolation) => {
            const policies = args.resources.filter((r) => r.type === TYPES.RetentionPolicy);
            for (const registry of args.resources.filter((r) => r.type === TYPES.Registry)) {
                if (policies.some((p) => covers(p, registry))) continue;
                const name = typeof registry.props.name === "string" ? ` "${registry.props.name}"` : "";
                reportViolation(
                    `${named(registry.type, registry.name)}: registry${name} has no RetentionPolicy; ` +
                        `at least one is required (its registryName set to this registry's name)`,
                    registry.urn,
                );
            }
        },
    };
}
