/**
 * Input validation for `check`, kept apart from common.ts: it is the only resource helper that
 * names zod types, and no public declaration may (programs type-check without zod's).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { printable } from "../client/errors";
import { isUnknown, URN_INPUT } from "./common";

/** What `check` learns from validating: the inputs to store, failures, and the parsed values. */
export interface Validated<T> {
    /** What `check` returns to the engine: parsed values (defaults applied), unknowns and `__provider` as they came. */
    inputs: T;
    failures: pulumi.dynamic.CheckFailure[];
    /** Without failures: the parsed values of the known fields (a field not known yet, at preview, is absent). */
    parsed?: Partial<T>;
    /** Without failures and with every field known: all parsed values. */
    complete?: T;
}

/**
 * Validates inputs for `check`. `news` is what the engine sent, typed as the provider's inputs but
 * not checked yet. Unknown values (preview) are left out of validation, so a field that is not
 * known yet never fails nor is reported missing; `__provider` (the engine's) and the URN the
 * resource class adds (`URN_INPUT`) are not the user's.
 */
export function validateInputs<S extends z.ZodObject>(schema: S, news: z.output<S>): Validated<z.output<S>> {
    const entries: [string, unknown][] = Object.entries(news);
    const known: Record<string, unknown> = {};
    const omitted: Record<string, true> = {};
    const shapeKeys = Object.keys(schema.shape);
    for (const [key, value] of entries) {
        if (key === "__provider" || key === URN_INPUT || value === undefined || value === null) continue;
        if (!isUnknown(value)) known[key] = value;
        else if (shapeKeys.includes(key)) omitted[key] = true;
    }
    // What goes back: the engine's values less null and undefined, the parsed ones written over them.
    const inputs = { ...news };
    for (const [key, value] of entries) {
        if (value === undefined || value === null) Reflect.deleteProperty(inputs, key);
    }
    if (Object.keys(omitted).length === 0) {
        const result = schema.safeParse(known);
        if (!result.success) return { inputs: news, failures: result.error.issues.map(checkFailure) };
        return { inputs: Object.assign(inputs, result.data), failures: [], parsed: result.data, complete: result.data };
    }
    const withoutUnknowns: z.ZodObject = schema.omit(omitted);
    const result = withoutUnknowns.safeParse(known);
    if (!result.success) return { inputs: news, failures: result.error.issues.map(checkFailure) };
    // The schema without the unknown fields parses to the full output less those fields.
    return { inputs: Object.assign(inputs, result.data), failures: [], parsed: result.data as Partial<z.output<S>> };
}

function checkFailure(issue: z.core.$ZodIssue): pulumi.dynamic.CheckFailure {
    if (issue.code === "unrecognized_keys") {
        return {
            property: printable(issue.keys.join(", ")),
            reason: `unknown input ${issue.keys.map((k) => `"${printable(k)}"`).join(", ")}: not an input of this resource`,
        };
    }
    const property = issue.path.map(String).join(".") || "(inputs)";
    return { property, reason: `${property}: ${issue.message}` };
}
