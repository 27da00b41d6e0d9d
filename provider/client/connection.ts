/**
 * Where the DigitalOcean API is and which token to use: given values first, then the environment.
 * Resolved when a client is constructed, so a rotated token is picked up by the next client.
 */
import { createHash } from "node:crypto";
import { createDocrError } from "./errors";

/**
 * The API connection, from whoever configures it (client options, the resources' stack config,
 * a data source's options). What is left out comes from the environment.
 */
export interface Connection {
    /** API token; else `DIGITALOCEAN_TOKEN`, else `DIGITALOCEAN_ACCESS_TOKEN`. */
    token?: string;
    /** API base URL; else `DIGITALOCEAN_API_URL`, else `https://api.digitalocean.com`. */
    apiUrl?: string;
}

/** A connection with the environment applied: a token, and the API URL without trailing slash. */
export interface ResolvedConnection {
    token: string;
    apiUrl: string;
}

/** The public DigitalOcean API. */
export const DEFAULT_API_URL = "https://api.digitalocean.com";

/**
 * Resolves the token (override, else `DIGITALOCEAN_TOKEN`, else `DIGITALOCEAN_ACCESS_TOKEN`) and
 * the base URL (override, else `DIGITALOCEAN_API_URL`, else {@link DEFAULT_API_URL}).
 * Throws a `DocrError` of kind `configuration` when no token is set, the URL is invalid, or the
 * URL is plain `http:` to a host that is not loopback (the token would travel in clear text).
 */
export function resolveConnection(overrides?: Connection): ResolvedConnection {
    const token = findToken(overrides);
    if (token === undefined) {
        throw configurationError(
            "no DigitalOcean API token: pass the token option or set the environment variable " +
                "DIGITALOCEAN_TOKEN or DIGITALOCEAN_ACCESS_TOKEN",
        );
    }
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
    if (/[\s\u0000-\u001f\u007f]/.test(token)) {
        // Never echo the value: it is (nearly) a secret even when malformed.
        throw configurationError("the DigitalOcean API token contains whitespace or control characters", [token]);
    }
    return { token, apiUrl: resolveApiUrl(overrides?.apiUrl) };
}

/**
 * The key of a connection in the process-wide stores (the quota, shared reads, check caches): the
 * API URL as the client normalizes it and a digest of the token (the token itself is kept nowhere).
 * Never throws: without a usable token or URL there is nothing to share but what was given.
 */
export function connectionKey(connection?: Connection): string {
    try {
        const { token, apiUrl } = resolveConnection(connection);
        return `${apiUrl} ${createHash("sha256").update(token).digest("hex")}`;
    } catch {
        return `${connection?.apiUrl ?? process.env.DIGITALOCEAN_API_URL ?? DEFAULT_API_URL} (no token)`;
    }
}

/** Whether a non-blank token is available (override or environment). Never throws. */
export function hasToken(overrides?: Connection): boolean {
    try {
        return findToken(overrides) !== undefined;
    } catch {
        return false;
    }
}

/** True for `localhost`, 127.0.0.0/8 and `::1`, the hosts where plain http cannot leave the machine. */
export function isLoopbackHost(hostname: string): boolean {
    const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
    if (host === "localhost" || host === "::1") return true;
    const octets = host.split(".");
    return octets.length === 4 && octets[0] === "127" && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

function findToken(overrides?: Connection): string | undefined {
    for (const candidate of [overrides?.token, process.env.DIGITALOCEAN_TOKEN, process.env.DIGITALOCEAN_ACCESS_TOKEN]) {
        // Trimmed: tokens pasted from files often carry a trailing newline.
        const value = typeof candidate === "string" ? candidate.trim() : "";
        if (value !== "") return value;
    }
    return undefined;
}

/**
 * The API base URL (override, else `DIGITALOCEAN_API_URL`, else {@link DEFAULT_API_URL}), checked
 * and normalized as every client uses it.
 */
export function resolveApiUrl(override?: string): string {
    const raw =
        [override, process.env.DIGITALOCEAN_API_URL]
            .map((v) => (typeof v === "string" ? v.trim() : ""))
            .find((v) => v !== "") ?? DEFAULT_API_URL;
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw configurationError(
            `invalid DigitalOcean API URL "${raw}" (from the apiUrl option or DIGITALOCEAN_API_URL)`,
        );
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw configurationError(
            `invalid DigitalOcean API URL "${url.origin}": only https (or http to loopback) is supported`,
        );
    }
    if (url.username !== "" || url.password !== "") {
        throw configurationError(
            "the DigitalOcean API URL must not contain credentials; use the token settings instead",
        );
    }
    if (url.search !== "" || url.hash !== "") {
        throw configurationError(
            `the DigitalOcean API URL "${url.origin}${url.pathname}" must not carry a query or fragment`,
        );
    }
    if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
        throw configurationError(
            `refusing to send the DigitalOcean token over plain http to ${url.host}: use https, ` +
                "or a loopback address (127.0.0.1, ::1, localhost) for a local emulator",
        );
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function configurationError(detail: string, secrets: readonly string[] = []) {
    return createDocrError({ kind: "configuration", operation: "configuration", detail }, secrets);
}
