/**
 * One HTTP exchange on a direct connection (no proxy in the way), with node:http(s): what axios
 * does for us there (no redirects followed, gzip/deflate/br decoded, the decoded body capped), at
 * a third of its cost per request (bench/engine-overhead.ts, bench/pagination.ts). Requests
 * through an HTTP(S)_PROXY keep going through axios, which tunnels them (see http.ts).
 */
import * as http from "node:http";
import * as https from "node:https";
import type { Readable } from "node:stream";
import * as zlib from "node:zlib";

/** One request; `headers` holds the token: never log it. */
export interface Exchange {
    method: string;
    url: string;
    headers: Record<string, string>;
    body?: string;
    signal: AbortSignal;
    /** The most the body may decode to. */
    maxBytes: number;
}

/** A response as read off the wire: lower-case headers, the body decoded as UTF-8. */
export interface Answer {
    status: number;
    headers: Record<string, string>;
    text: string;
}

/** The decoded body went past {@link Exchange.maxBytes}: reading stopped there. */
export class BodyTooLargeError extends Error {
    constructor(readonly maxBytes: number) {
        super(`the response body exceeds ${maxBytes} bytes decoded`);
        this.name = "BodyTooLargeError";
    }
}

export function exchange(req: Exchange): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
        const url = new URL(req.url);
        const headers: Record<string, string> = { ...req.headers, "Accept-Encoding": "gzip, deflate, br" };
        if (req.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(req.body));
        let settled = false;
        let body: Readable | undefined;
        const fail = (err: Error) => {
            if (settled) return;
            settled = true;
            body?.destroy();
            request.destroy();
            reject(err);
        };
        const options = { method: req.method, headers, signal: req.signal };
        const onResponse = (res: http.IncomingMessage) => {
            body = decoded(res, fail);
            const chunks: Buffer[] = [];
            let size = 0;
            body.on("data", (chunk: Buffer) => {
                size += chunk.length;
                if (size > req.maxBytes) fail(new BodyTooLargeError(req.maxBytes));
                else chunks.push(chunk);
            });
            body.on("end", () => {
                if (settled) return;
                settled = true;
                resolve({
                    status: res.statusCode ?? 0,
                    headers: flatten(res.headers),
                    text: Buffer.concat(chunks).toString("utf8"),
                });
            });
            body.on("error", fail);
            res.on("error", fail);
        };
        const request =
            url.protocol === "https:"
                ? https.request(url, options, onResponse)
                : http.request(url, options, onResponse);
        request.on("error", fail);
        request.end(req.body);
    });
}

/** The body as sent before its `Content-Encoding` (identity when absent or unknown, as axios reads it). */
function decoded(res: http.IncomingMessage, fail: (err: Error) => void): Readable {
    if (res.statusCode === 204 || res.headers["content-length"] === "0") return res;
    // A body cut short still ends the stream: decode what came, as axios does.
    const flush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
    let decoder: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress;
    switch ((res.headers["content-encoding"] ?? "").trim().toLowerCase()) {
        case "gzip":
        case "x-gzip":
            decoder = zlib.createGunzip(flush);
            break;
        case "deflate":
            decoder = zlib.createInflate(flush);
            break;
        case "br":
            decoder = zlib.createBrotliDecompress({
                flush: zlib.constants.BROTLI_OPERATION_FLUSH,
                finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
            });
            break;
        default:
            return res;
    }
    res.on("error", fail);
    return res.pipe(decoder);
}

function flatten(headers: http.IncomingHttpHeaders): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(headers)) {
        if (value === undefined) continue;
        out[key] = Array.isArray(value) ? value.join(", ") : value;
    }
    return out;
}
