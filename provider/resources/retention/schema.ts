/** The schema of a RetentionPolicy's inputs; the type they parse to is inputs.ts's RetentionInputs. */
import { z } from "zod";
import { quoted, registryNameField } from "../../shared/fields";
import { parseDuration } from "./duration";
import type { RetentionInputs } from "./inputs";

function compiles(pattern: string): boolean {
    try {
        new RegExp(pattern);
        return true;
    } catch {
        return false;
    }
}

export const retentionInputsSchema = z.strictObject({
    registryName: registryNameField(),
    repositories: z
        .array(
            z.string({ error: "must be a glob such as api or web/*" }).min(1, { error: "a glob must not be empty" }),
            {
                error: 'must be a list of repository globs such as ["api", "web/*"]',
            },
        )
        .min(1, { error: "must list at least one glob (omit it to cover every repository)" })
        .optional(),
    keepLast: z
        .number({ error: "must be a whole number of tags (0 or more)" })
        .int({ error: (i) => `must be a whole number of tags, got ${String(i.input)}` })
        .min(0, { error: (i) => `must be 0 or more, got ${String(i.input)}` })
        .optional(),
    keepTagsMatching: z
        .array(
            z.string({ error: "must be a regular expression (string)" }).refine(compiles, {
                error: (i) => `${quoted(i.input)} is not a valid regular expression`,
            }),
            { error: 'must be a list of regular expressions such as ["^v\\\\d+\\\\.\\\\d+\\\\.\\\\d+$", "^latest$"]' },
        )
        .optional(),
    olderThanDays: z
        .number({ error: "must be a number of days (0 or more)" })
        .min(0, { error: (i) => `must be 0 or more days, got ${String(i.input)}` })
        .optional(),
    deleteUntaggedManifests: z.boolean({ error: "must be true or false" }).optional(),
    garbageCollect: z.boolean({ error: "must be true or false" }).optional(),
    gcTimeoutMinutes: z
        .number({ error: "must be a number of minutes" })
        .positive({ error: "must be more than 0 minutes" })
        .optional(),
    dryRun: z.boolean({ error: "must be true or false" }).optional(),
    deleteEmptiedRepositories: z.boolean({ error: "must be true or false" }).optional(),
    maxDeletionsPerRun: z
        .number({ error: "must be a whole number of DELETE requests (1 or more)" })
        .int({ error: (i) => `must be a whole number of DELETE requests, got ${String(i.input)}` })
        .min(1, { error: (i) => `must be 1 or more, got ${String(i.input)} (use dryRun to delete nothing)` })
        .optional(),
    runEvery: z
        .string({ error: 'must be a duration such as "24h", "30m" or "7d"' })
        .refine((v) => parseDuration(v) !== undefined, {
            error: (i) =>
                `${quoted(i.input)} is not a duration; use a number and a unit (ms, s, m, h, d, w), e.g. "24h", "30m", "7d", "1h30m"`,
        })
        .optional(),
}) satisfies z.ZodType<RetentionInputs>;

/** The requests a check's plan carries to the update (`previewPlan`), read back from the engine. */
export const previewPlanSchema = z.array(
    z.object({
        name: z.string(),
        repository: z.boolean(),
        manifests: z.array(z.object({ digest: z.string(), tags: z.array(z.string()) })),
        tags: z.array(z.string()),
    }),
);
