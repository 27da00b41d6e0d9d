import type { IncomingHttpHeaders } from "node:http";

/** Host names a request must be addressed to; the server binds 127.0.0.1, these are its loopback names. */
const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

/** `name` or `name:port` with `name` a loopback name (case-insensitive, as host names are). */
function isLoopbackAuthority(authority: string): boolean {
    const lower = authority.toLowerCase();
    return LOOPBACK_NAMES.some(
        (name) => lower === name || (lower.startsWith(`${name}:`) && /^\d{1,5}$/.test(lower.slice(name.length + 1))),
    );
}

function isLoopbackOrigin(origin: string): boolean {
    let url: URL;
    try {
        url = new URL(origin);
    } catch {
        return false;
    }
    // `Origin: null` (sandboxed frames, file: pages) fails to parse: it is not loopback.
    return (
        (url.protocol === "http:" || url.protocol === "https:") &&
        isLoopbackAuthority(url.host) &&
        origin === url.origin
    );
}

/** Header values are attacker-chosen: quoted and cut before they go into a message. */
function quoted(value: string): string {
    return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

/**
 * Why a request that a web page could have sent is refused, or undefined when it is acceptable.
 * A page on another site can reach a loopback server through the user's browser: by DNS
 * rebinding (its own name resolving to 127.0.0.1, so the Host header names that site) or by a
 * plain cross-site request (an Origin or `Sec-Fetch-Site: cross-site` says so). Clients that are
 * not browsers send a loopback Host and neither header.
 */
export function browserRefusal(headers: IncomingHttpHeaders): string | undefined {
    const host = headers.host;
    if (host === undefined || !isLoopbackAuthority(host)) {
        const got = host === undefined ? "no Host header" : `Host ${quoted(host)}`;
        return `refused: ${got}; the emulator answers only requests addressed to 127.0.0.1, localhost or [::1] (a foreign Host is a DNS-rebinding web page)`;
    }
    const origin = headers.origin;
    if (origin !== undefined && !isLoopbackOrigin(origin)) {
        return `refused: a browser request from Origin ${quoted(origin)}; only pages on 127.0.0.1, localhost or [::1] may call the emulator`;
    }
    if (headers["sec-fetch-site"]?.toLowerCase() === "cross-site") {
        return "refused: a cross-site browser request (Sec-Fetch-Site: cross-site); call the emulator from a loopback page or a non-browser client";
    }
    return undefined;
}
