/** docr-allowed-regions: registries only in the configured regions (mandatory; nothing checked until configured). */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { named, TYPES } from "./types";

export function allowedRegions(level: EnforcementLevel, regions: string[] | undefined): ResourceValidationPolicy {
    return {
        name: "docr-allowed-regions",
        description: "Registries only in the configured regions.",
        enforcementLevel: level,
        configSchema: {
            properties: {
                regions: { type: "array", items: { type: "string" }, ...(regions ? { default: regions } : {}) },
            },
        },
        validateResource: (args, reportViolation) => {
            if (args.type !== TYPES.Registry) return;
            const allowed = args.getConfig<{ regions?: string[] }>().regions;
            if (allowed === undefined) return;
            const region: unknown = args.props.region;
            const limit = `allowed: ${allowed.join(", ") || "none"} (regions)`;
            if (region === undefined) {
                reportViolation(`${named(args.type, args.name)}: no region set, so the API picks one; ${limit}`);
            } else if (typeof region === "string" && !allowed.includes(region)) {
                reportViolation(`${named(args.type, args.name)}: region "${region}" is not allowed; ${limit}`);
            }
        },
    };
}
