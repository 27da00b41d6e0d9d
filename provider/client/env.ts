/** Numeric settings from the environment: one parser for the client and the resources alike. */
import { createDocrError } from "./errors";

/** The values a setting allows, and how a message says so. */
export interface NumberRange {
    /** The least value allowed (`aboveMin`: only values above it). */
    min: number;
    aboveMin?: boolean;
    /** Values must stay below this. */
    below?: number;
    /** The range in words, e.g. `a number of milliseconds, 0 or more`. */
    says: string;
}

export const POSITIVE: NumberRange = { min: 0, aboveMin: true, says: "a positive number" };
export const MILLISECONDS: NumberRange = { min: 0, says: "a number of milliseconds, 0 or more" };

/**
 * The number in environment variable `name`, read at call time; `undefined` when unset or blank.
 * Anything else outside `range` is a `configuration` error naming the variable and the range, never
 * a silent default.
 */
export function envNumber(name: string, range: NumberRange, env: NodeJS.ProcessEnv = process.env): number | undefined {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const value = Number(raw);
    const inRange =
        Number.isFinite(value) &&
        (range.aboveMin ? value > range.min : value >= range.min) &&
        (range.below === undefined || value < range.below);
    if (!inRange) {
        throw createDocrError({
            kind: "configuration",
            operation: "configuration",
            detail: `${name} must be ${range.says}, got "${raw.slice(0, 40)}"`,
        });
    }
    return value;
}
