/** Answers checked against the question: an answer about another registry is never acted on. */
import { createDocrError } from "../errors";
import type { ClientSettings } from "../settings";

/**
 * `value` when the registry name it carries (`answered`, at `fieldPath`; absent: nothing to check)
 * is the one asked for. An answer about another registry (a confused proxy, a hostile server) is
 * malformed: nothing may act on its name, least of all a later delete.
 */
export function aboutAsked<T>(
    s: ClientSettings,
    operation: string,
    name: string,
    answered: { name: string | undefined; fieldPath: string; value: T },
): T {
    if (answered.name === undefined || answered.name === name) return answered.value;
    throw createDocrError(
        {
            kind: "malformed_response",
            operation,
            subject: `registry "${name}"`,
            fieldPath: answered.fieldPath,
            detail: `the answer is about registry "${answered.name}", not "${name}" that was asked for; nothing was done with it`,
        },
        [s.connection.token],
    );
}
