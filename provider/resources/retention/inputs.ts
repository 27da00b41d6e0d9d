/** The checked inputs of a RetentionPolicy: their type, defaults and the rules they imply (the schema: schema.ts). */
import type { RepositoryRequests, Rules } from "./select";

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
    deleteEmptiedRepositories: false,
    /**
     * A fifth of the API's 5,000 requests an hour: a big first cleanup spreads over a few runs
     * instead of spending the whole team's quota (and taking 40 minutes) in one.
     */
    maxDeletionsPerRun: 1000,
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
    deleteEmptiedRepositories?: boolean;
    maxDeletionsPerRun?: number;
    runEvery?: string;
}

/**
 * Checked inputs as stored: user inputs plus, when `check` could plan, the digest of its whole
 * plan and the requests of this run (the part within `maxDeletionsPerRun`): apply deletes at most
 * those. Only this run's part is carried, so state stays within the budget's size.
 */
export interface CheckedRetentionInputs extends RetentionInputs {
    planDigest?: string;
    previewPlan?: RepositoryRequests[];
}

/** Inputs `check` adds; the engine hands them back with the program's inputs. */
export const CHECK_ADDED_KEYS = ["planDigest", "previewPlan"] as const;

/** Rules across fields, as `check` failures (the schema's `omit` of unknown fields rules out object refinements). */
export function crossFieldFailures(
    inputs: Pick<RetentionInputs, "deleteEmptiedRepositories" | "deleteUntaggedManifests">,
): { property: string; reason: string }[] {
    if (inputs.deleteEmptiedRepositories === true && inputs.deleteUntaggedManifests !== true) {
        return [
            {
                property: "deleteEmptiedRepositories",
                reason: "deleteEmptiedRepositories: needs deleteUntaggedManifests: true (a repository is deleted only when the plan deletes every manifest in it)",
            },
        ];
    }
    return [];
}

/** The selection rules, defaults applied. */
export function rulesOf(inputs: RetentionInputs): Rules {
    return {
        repositories: inputs.repositories ?? [...RETENTION_DEFAULTS.repositories],
        keepLast: inputs.keepLast ?? RETENTION_DEFAULTS.keepLast,
        keepTagsMatching: inputs.keepTagsMatching ?? [...RETENTION_DEFAULTS.keepTagsMatching],
        olderThanDays: inputs.olderThanDays ?? RETENTION_DEFAULTS.olderThanDays,
        deleteUntaggedManifests: inputs.deleteUntaggedManifests ?? RETENTION_DEFAULTS.deleteUntaggedManifests,
        deleteEmptiedRepositories: inputs.deleteEmptiedRepositories ?? RETENTION_DEFAULTS.deleteEmptiedRepositories,
    };
}

/**
 * Input keys whose change re-runs the policy (`planDigest` included: something new to delete;
 * `previewPlan` left out: it follows from the digest and the budget).
 */
export const RETENTION_INPUT_KEYS = [
    "registryName",
    "repositories",
    "keepLast",
    "keepTagsMatching",
    "olderThanDays",
    "deleteUntaggedManifests",
    "garbageCollect",
    "gcTimeoutMinutes",
    "dryRun",
    "runEvery",
    "deleteEmptiedRepositories",
    "maxDeletionsPerRun",
    "planDigest",
] as const;
