/** The checked inputs of a RetentionPolicy: schema, defaults and the rules they imply. */
import { z } from "zod";
import { quoted, registryNameField } from "../fields";
import { parseDuration } from "./duration";
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

function compiles(pattern: string): boolean {
    try {
        new RegExp(pattern);
        return true;
    } catch {
        return false;
    }
}

/* Built per call (not held at module scope): the provider is serialized into state. */
export function retentionInputsSchema() {
    return z.strictObject({
        registryName: registryNameField(),
        repositories: z
            .array(z.string({ error: "must be a glob such as api or web/*" }).min(1, { error: "a glob must not be empty" }), {
                error: "must be a list of repository globs such as [\"api\", \"web/*\"]",
            })
            .min(1, { error: "must list at least one glob (omit it to cover every repository)" })
            .optional(),
        keepLast: z
            .number({ error: "must be a whole number of tags (0 or more)" })
            .int({ error: (i) => `must be a whole number of tags, got ${String(i.input)}` })
            .min(0, { error: (i) => `must be 0 or more, got ${String(i.input)}` })
            .optional(),
        keepTagsMatching: z
            .array(z.string({ error: "must be a regular expression (string)" }).refine(compiles, {
                error: (i) => `${quoted(i.input)} is not a valid regular expression`,
            }), { error: "must be a list of regular expressions such as [\"^v\\\\d+\\\\.\\\\d+\\\\.\\\\d+$\", \"^latest$\"]" })
            .optional(),
        olderThanDays: z
            .number({ error: "must be a number of days (0 or more)" })
            .min(0, { error: (i) => `must be 0 or more days, got ${String(i.input)}` })
            .optional(),
        deleteUntaggedManifests: z.boolean({ error: "must be true or false" }).optional(),
        garbageCollect: z.boolean({ error: "must be true or false" }).optional(),
        gcTimeoutMinutes: z.number({ error: "must be a number of minutes" }).positive({ error: "must be more than 0 minutes" }).optional(),
        dryRun: z.boolean({ error: "must be true or false" }).optional(),
        deleteEmptiedRepositories: z.boolean({ error: "must be true or false" }).optional(),
        maxDeletionsPerRun: z
            .number({ error: "must be a whole number of DELETE requests (1 or more)" })
            .int({ error: (i) => `must be a whole number of DELETE requests, got ${String(i.input)}` })
            .min(1, { error: (i) => `must be 1 or more, got ${String(i.input)} (use dryRun to delete nothing)` })
            .optional(),
        runEvery: z
            .string({ error: "must be a duration such as \"24h\", \"30m\" or \"7d\"" })
            .refine((v) => parseDuration(v) !== undefined, {
                error: (i) => `${quoted(i.input)} is not a duration; use a number and a unit (ms, s, m, h, d, w), e.g. "24h", "30m", "7d", "1h30m"`,
            })
            .optional(),
    });
}

/** Inputs as the user may write them. */
export type RetentionInputs = z.infer<ReturnType<typeof retentionInputsSchema>>;

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

/* Built per call, like the inputs schema. */
export function previewPlanSchema() {
    return z.array(z.object({
        name: z.string(),
        repository: z.boolean(),
        manifests: z.array(z.object({ digest: z.string(), tags: z.array(z.string()) })),
        tags: z.array(z.string()),
    }));
}

/** Rules across fields, as `check` failures (the schema's `omit` of unknown fields rules out object refinements). */
export function crossFieldFailures(inputs: RetentionInputs): { property: string; reason: string }[] {
    if (inputs.deleteEmptiedRepositories === true && inputs.deleteUntaggedManifests !== true) {
        return [{
            property: "deleteEmptiedRepositories",
            reason: "deleteEmptiedRepositories: needs deleteUntaggedManifests: true (a repository is deleted only when the plan deletes every manifest in it)",
        }];
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
    "registryName", "repositories", "keepLast", "keepTagsMatching", "olderThanDays", "deleteUntaggedManifests",
    "garbageCollect", "gcTimeoutMinutes", "dryRun", "runEvery", "deleteEmptiedRepositories", "maxDeletionsPerRun", "planDigest",
] as const;
