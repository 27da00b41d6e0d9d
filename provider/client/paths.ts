/**
 * URL paths from OpenAPI-style templates (`/v2/registries/{registry_name}`), every parameter
 * validated and percent-encoded as one path segment.
 */
import { createDocrError } from "./errors";

/** Values for the `{placeholders}` of a template, unencoded. */
export type PathParams = Readonly<Record<string, string>>;

/**
 * Encodes one path segment: `team/app` becomes `team%2Fapp`. `:` and `@` stay literal: they are
 * valid in a segment (RFC 3986 pchar) and the API documents digests as `.../digests/sha256:abcd`.
 */
export function encodeSegment(value: string): string {
    return encodeURIComponent(value).replace(/%3A/gi, ":").replace(/%40/gi, "@");
}

/**
 * Expands `template` with `params`. Rejects (kind `bad_request`, before anything is sent) values
 * that are not non-empty strings, and `.`/`..`, which URL normalization would resolve into a
 * different path (even when percent-encoded).
 */
export function expandPath(operation: string, template: string, params: PathParams = {}): string {
    return template.replace(/\{([a-z_]+)\}/g, (_match, name: string) => {
        const value: unknown = params[name];
        if (typeof value !== "string" || value === "" || value === "." || value === "..") {
            throw createDocrError({
                kind: "bad_request",
                operation,
                detail: `invalid ${name} ${JSON.stringify(value) ?? "undefined"}: must be a non-empty string other than "." and ".."`,
            });
        }
        // encodeURIComponent throws a bare URIError on these; a name with one is no name.
        if (/\p{Cs}/u.test(value)) {
            throw createDocrError({
                kind: "bad_request",
                operation,
                detail: `invalid ${name} ${JSON.stringify(value)}: contains an unpaired UTF-16 surrogate, which cannot be sent in a URL`,
            });
        }
        return encodeSegment(value);
    });
}

/** Appends a query string (URLSearchParams encoding); `undefined` values are left out. */
export function withQuery(
    path: string,
    query?: Readonly<Record<string, string | number | boolean | undefined>>,
): string {
    if (!query) return path;
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
        if (value !== undefined) search.append(key, String(value));
    }
    const text = search.toString();
    return text === "" ? path : `${path}?${text}`;
}
