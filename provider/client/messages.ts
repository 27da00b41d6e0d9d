/**
 * How errors read (`registries_get: registry "acme" not found (404 not_found, request …)`) and
 * how secrets are kept out of them.
 */
import type { DocrErrorInit } from "./errors";

/**
 * Removes secrets from text: the given values, and anything shaped like a bearer header or a
 * DigitalOcean token (defence in depth: an API or proxy may echo what it received).
 */
export function redact(text: string, secrets: readonly string[] = []): string {
    let out = text;
    for (const secret of secrets) {
        if (secret.length >= 16) {
            out = out.split(secret).join("[REDACTED]");
        } else if (secret.length > 0) {
            // A short (test) token would also match inside ordinary words: replace whole words only.
            const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            out = out.replace(new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`, "g"), "[REDACTED]");
        }
    }
    return (
        out
            .replace(/(bearer\s+)[^\s"',;]+/gi, "$1[REDACTED]")
            // No word boundary: a token glued to a word ("tokendop_v1_…") is still a token.
            .replace(/do[opr]_v1_[A-Za-z0-9]+/g, "[REDACTED]")
    );
}

/** The message of an error built from `init`. */
export function renderMessage(init: DocrErrorInit): string {
    const tags: string[] = [];
    if (init.status !== undefined) tags.push(init.apiId ? `${init.status} ${init.apiId}` : String(init.status));
    else if (init.code) tags.push(init.code);
    if (init.requestId) tags.push(`request ${init.requestId}`);
    let message = `${init.operation}: ${summary(init)}`;
    if (tags.length > 0) message += ` (${tags.join(", ")})`;
    if (init.retryNote) message += `; ${init.retryNote}`;
    if (init.hint) message += `; ${init.hint}`;
    return message;
}

function summary(init: DocrErrorInit): string {
    const subject = init.subject;
    const said = init.apiMessage ?? init.detail;
    switch (init.kind) {
        case "not_found":
            return `${subject ?? "resource"} not found`;
        case "unauthorized":
            return (
                `the API rejected the token${said ? ` (${said})` : ""}; check the token option ` +
                "or DIGITALOCEAN_TOKEN / DIGITALOCEAN_ACCESS_TOKEN"
            );
        case "forbidden":
            return (
                `the token is not allowed to do this${subject ? ` on ${subject}` : ""} (missing registry:* scope?)` +
                (said ? `: ${said}` : "")
            );
        case "rate_limited":
            return `rate limited by the API${said ? `: ${said}` : ""}`;
        case "server_error":
            return `the API failed${subject ? ` on ${subject}` : ""}${said ? `: ${said}` : ""}`;
        case "malformed_response":
            return `malformed response${init.fieldPath ? ` at ${init.fieldPath}` : ""}${init.detail ? `: ${init.detail}` : ""}`;
        case "proxy":
        case "network":
        case "timeout":
        case "configuration":
            return said ?? init.kind;
        default:
            return `${subject ? `${subject}: ` : ""}${said ?? init.kind.replace(/_/g, " ")}`;
    }
}
