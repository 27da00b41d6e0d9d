/** docr-credentials-expire (push credentials, mandatory) and docr-pull-credentials-expire (advisory). */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { named, TYPES } from "./types";

/** One day: long enough for a CI job, short enough that a leaked push credential dies soon. */
export const DEFAULT_MAX_PUSH_EXPIRY_SECONDS = 86_400;

export function credentialsExpire(level: EnforcementLevel, maxPushExpirySeconds: number): ResourceValidationPolicy {
    return {
        name: "docr-credentials-expire",
        description: "Push (readWrite) registry credentials must expire within maxPushExpirySeconds.",
        enforcementLevel: level,
        configSchema: {
            properties: { maxPushExpirySeconds: { type: "integer", minimum: 1, default: maxPushExpirySeconds } },
        },
        validateResource: (args, reportViolation) => {
            if (args.type !== TYPES.RegistryCredentials || args.props.readWrite !== true) return;
            const max = args.getConfig<{ maxPushExpirySeconds: number }>().maxPushExpirySeconds;
            const expiry: unknown = args.props.expirySeconds ?? 0;
            if (typeof expiry !== "number") return;
            if (expiry === 0) {
                reportViolation(
                    `${named(args.type, args.name)}: push credentials (readWrite) with expirySeconds 0 never expire; ` +
                        `the limit is ${max} seconds (maxPushExpirySeconds)`,
                );
            } else if (expiry > max) {
                reportViolation(
                    `${named(args.type, args.name)}: push credentials (readWrite) expire after expirySeconds ${expiry}; ` +
                        `the limit is ${max} seconds (maxPushExpirySeconds)`,
                );
            }
        },
    };
}

/**
 * @pulumi/policy gives a policy one enforcement level: pull credentials that never expire are a
 * policy of their own, so that reporting them (advisory) never blocks an update.
 */
export function pullCredentialsExpire(level: EnforcementLevel): ResourceValidationPolicy {
    return {
        name: "docr-pull-credentials-expire",
        description: "Pull (read-only) registry credentials that never expire are reported.",
        enforcementLevel: level,
        validateResource: (args, reportViolation) => {
            if (args.type !== TYPES.RegistryCredentials || args.props.readWrite === true) return;
            if ((args.props.expirySeconds ?? 0) !== 0) return;
            reportViolation(
                `${named(args.type, args.name)}: pull credentials with expirySeconds 0 never expire; ` +
                    `set expirySeconds (a leaked credential then stops working)`,
            );
        },
    };
}
