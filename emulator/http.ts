import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "./errors";

/** Largest request body accepted on `/v2` (admin seeding allows more). */
export const API_BODY_LIMIT = 1024 * 1024;
/** Large generated fixtures go through `/_emulator/seed`. */
export const ADMIN_BODY_LIMIT = 256 * 1024 * 1024;

/** Reads the whole body as UTF-8; rejects with a 413 ApiError past `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let failed = false;
        req.on("data", (c: Buffer) => {
            size += c.length;
            if (size > limit) {
                if (!failed)
                    reject(new ApiError(413, "request_entity_too_large", `request body exceeds ${limit} bytes`));
                failed = true;
                return;
            }
            chunks.push(c);
        });
        req.on("end", () => {
            if (!failed) resolve(Buffer.concat(chunks).toString("utf8"));
        });
        req.on("error", (err) => {
            if (!failed) reject(err);
            failed = true;
        });
    });
}

/** Writes a response; `body` undefined means no body, a string is sent as is (malformed faults). */
export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed || res.headersSent) return;
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    if (body === undefined || status === 204 || status === 304) {
        res.writeHead(status);
        res.end();
        return;
    }
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.setHeader("content-length", String(Buffer.byteLength(text)));
    res.writeHead(status);
    res.end(text);
}

/** Parses a body for the request log: JSON when it parses, else the raw text; undefined when empty. */
/**
 * Longest request body the log keeps whole; of a longer one, a prefix of this many characters. The
 * log holds up to 50,000 entries: whole 1 MiB bodies there would be gigabytes.
 */
export const MAX_LOGGED_BODY = 16 * 1024;

export function bodyForLog(raw: string): unknown {
    if (raw === "") return undefined;
    if (raw.length > MAX_LOGGED_BODY) return `${raw.slice(0, MAX_LOGGED_BODY)}… (${raw.length} characters, cut)`;
    try {
        return JSON.parse(raw) as unknown;
    } catch {
        return raw;
    }
}

/** A timer that never keeps the process alive on its own. */
export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** True for 127.0.0.0/8 and ::1 peers (the server only binds 127.0.0.1, this is belt and braces). */
export function isLoopback(address: string | undefined): boolean {
    if (!address) return false;
    const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
    return v4.startsWith("127.") || address === "::1";
}
