/** The checked inputs of a RetentionPolicy: their type, defaults and the rules they imply (the schema: schema.ts). */
import type { Rules } from "./select";

/** Defaults, chosen to be safe: without `keepLast` the newest 10 tags per repository stay. */
export const RETENTION_DEFAULTS = {
    repositories: ["**"],
    keepLast: 10,
    keepTagsMatching: [] as string[],
    olderThanDays: 0,
    deleteUntaggedManifests: false,
    garbageCollect: false,
    dryRun: false,
    gcTimeoutMinutes: 30,
} as const;

/** Inputs as the user may write them (retention/schema.ts parses to exactly this). */
export interface RetentionInputs {
    registryName: string;
    repositories?: string[];
    keepLast?: number;
    keepTagsMatching?: string[];
    olderThanDays?: number;
    deleteUntaggedManifests?: boolean;
    garbageCollect?: boolean;
    gcTimeoutMinutes?: number;
    dryRun?: boolean;
    runEvery?: string;
}

/** Checked inputs as stored: user inputs plus the digest of the plan `check` computed (if it could). */
export interface CheckedRetentionInputs extends RetentionInputs {
    planDigest?: string;
}

/** The selection rules, defaults applied. */
export function rulesOf(inputs: RetentionInputs): Rules {
    return {
        repositories: inputs.repositories ?? [...RETENTION_DEFAULTS.repositories],
        keepLast: inputs.keepLast ?? RETENTION_DEFAULTS.keepLast,
        keepTagsMatching: inputs.keepTagsMatching ?? [...RETENTION_DEFAULTS.keepTagsMatching],
        olderThanDays: inputs.olderThanDays ?? RETENTION_DEFAULTS.olderThanDays,
        deleteUntaggedManifests: inputs.deleteUntaggedManifests ?? RETENTION_DEFAULTS.deleteUntaggedManifests,
    };
}

/** Input keys whose change re-runs the policy (`planDigest` included: something new to delete). */
export const RETENTION_INPUT_KEYS = [
    "registryName", "repositories", "keepLast", "keepTagsMatching", "olderThanDays", "deleteUntaggedManifests",
    "garbageCollect", "gcTimeoutMinutes", "dryRun", "runEvery", "planDigest",
] as const;
