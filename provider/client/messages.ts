/**
 * How errors read (`registries_get: registry "acme" not found (404 not_found, request …)`) and
 * how secrets are kept out of them.
 */
import type { DocrErrorInit } from "./error-types";

/** Shortest run of a secret's characters that counts as an echo of it (a partial echo included). */
const MIN_ECHO = 10;

/**
 * Removes secrets from text: the given values as sent, in other case, spaced out or cut (any run
 * of ten characters or more), in base64 (alone or inside `user:secret`); and anything shaped like
 * a bearer header or a DigitalOcean token (defence in depth: an API or proxy may echo what it
 * received, in whatever form).
 */
export function redact(text: string, secrets: readonly string[] = []): string {
    let out = text;
    for (const secret of secrets) {
        if (secret.length >= 16) {
            out = redactEchoes(out, secret);
        } else if (secret.length > 0) {
            // A short (test) token would also match inside ordinary words: replace whole words only.
            out = out.replace(new RegExp(`(?<![\\w-])${escapeRegExp(secret)}(?![\\w-])`, "g"), "[REDACTED]");
        }
    }
    return (
        out
            .replace(/(bearer\s+)[^\s"',;]+/gi, "$1[REDACTED]")
            // No word boundary: a token glued to a word ("tokendop_v1_…") is still a token.
            .replace(/do[opr]_v1_[A-Za-z0-9]+/gi, "[REDACTED]")
    );
}

/**
 * Replaces every run of `MIN_ECHO` characters of the secret or of its base64 forms (case aside, up
 * to two separators between characters) with the token-like characters around it. The runs are
 * widened by hand, not by the pattern: a pattern starting with `[\w…]*` would backtrack over
 * every long word.
 */
function redactEchoes(text: string, secret: string): string {
    const windows = new Set<string>();
    for (const form of [secret, ...base64Forms(secret)]) {
        for (let at = 0; at + MIN_ECHO <= form.length; at++) windows.add(form.slice(at, at + MIN_ECHO));
    }
    const pattern = new RegExp(
        [...windows].map((w) => [...w].map(escapeRegExp).join("[^A-Za-z0-9]{0,2}")).join("|"),
        "gi",
    );
    const tokenish = /[\w+/=-]/;
    let out = "";
    let copied = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
        let start = m.index;
        let end = m.index + m[0].length;
        while (start > copied && tokenish.test(text[start - 1])) start--;
        while (end < text.length && tokenish.test(text[end])) end++;
        out += `${text.slice(copied, start)}[REDACTED]`;
        copied = end;
        pattern.lastIndex = end;
    }
    return out + text.slice(copied);
}

/**
 * The part of the secret's base64 that does not depend on what precedes it (`user:` of any length
 * shifts it by 0, 1 or 2 bytes), in the standard and the URL-safe alphabet.
 */
function base64Forms(secret: string): string[] {
    const forms: string[] = [];
    for (let shift = 0; shift < 3; shift++) {
        const encoded = Buffer.from("\0".repeat(shift) + secret, "utf8").toString("base64");
        const core = encoded.slice(shift === 0 ? 0 : 4, -4);
        forms.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
    }
    return forms;
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Text fit for a message or a log line: control characters (ANSI escapes, CR/LF, bidirectional
 * overrides) from a server or a name are written out as `\u001b`-style escapes, never passed raw
 * to a terminal.
 */
export function printable(text: string): string {
    return text.replace(
        // eslint-disable-next-line no-control-regex -- control characters are what is replaced
        /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
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
