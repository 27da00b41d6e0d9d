/** Input fields and their messages, shared by the resources and the data sources. */
import { z } from "zod";

/** Subscription tiers the API offers (`subscription_tier_slug`). */
export const TIER_SLUGS = ["starter", "basic", "professional"] as const;
export type TierSlug = (typeof TIER_SLUGS)[number];

/** The largest `expiry_seconds` we send: the API's field is a 32-bit integer. */
export const MAX_EXPIRY_SECONDS = 2_147_483_647;

/**
 * An input as error messages quote it: JSON, cut short so that a huge value (a 1 MB string) is not
 * echoed back into the error, the engine's output and CI logs.
 */
export function quoted(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    if (text.length <= 42) return text;
    const length = typeof value === "string" ? ` (${value.length} characters)` : "";
    return `${text.slice(0, 40)}…${length}`;
}

export function registryNameField() {
    return z
        .string({ error: "must be a string: lowercase letters, digits and '-', 1 to 63 characters" })
        .min(1, { error: "must not be empty: lowercase letters, digits and '-', 1 to 63 characters" })
        .max(63, { error: (issue) => `must be at most 63 characters (got ${(issue.input as string).length})` })
        .regex(/^[a-z0-9-]+$/, {
            error: (issue) => `${quoted(issue.input)} may contain only lowercase letters, digits and '-'`,
        });
}

export function tierSlugField() {
    return z.enum(TIER_SLUGS, {
        error: (issue) => `${quoted(issue.input)} is not a tier; allowed: ${TIER_SLUGS.join(", ")}`,
    });
}

/** Region slugs look like `nyc3`; whether the account may use one is asked of the API in `check`. */
export function regionField() {
    return z.string({ error: "must be a region slug such as nyc3, sfo3, ams3, fra1, sgp1" }).regex(/^[a-z]{3}[0-9]$/, {
        error: (issue) => `${quoted(issue.input)} is not a region slug (such as nyc3, sfo3, ams3, fra1, sgp1)`,
    });
}

export function expirySecondsField() {
    return z
        .number({ error: "must be a whole number of seconds (0 = never expires)" })
        .int({ error: (issue) => `must be a whole number of seconds, got ${String(issue.input)}` })
        .min(0, { error: (issue) => `must be 0 (never expires) or more, got ${String(issue.input)}` })
        .max(MAX_EXPIRY_SECONDS, { error: `must be at most ${MAX_EXPIRY_SECONDS}` });
}

export function repositoryNameField() {
    return z
        .string({ error: "must be a repository name such as app or team/app" })
        .min(1, { error: "must not be empty" })
        .max(255, { error: "must be at most 255 characters" })
        .refine((name) => !/\p{Cs}/u.test(name), {
            error: "contains an unpaired UTF-16 surrogate: not a character, and it cannot be sent in a URL",
        });
}

/** A DOKS cluster id: a UUID, lowercase as DigitalOcean issues them. */
export function clusterIdField() {
    return z
        .string({ error: "must be a cluster UUID such as bd5f5959-5e1e-4205-a714-a914373942af" })
        .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, {
            error: (issue) =>
                `${quoted(issue.input)} is not a cluster UUID (lowercase, such as bd5f5959-5e1e-4205-a714-a914373942af)`,
        });
}
