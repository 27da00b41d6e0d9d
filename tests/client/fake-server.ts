/**
 * A throwaway HTTP server on 127.0.0.1 for client tests that need no emulator: each test scripts
 * the responses and inspects what arrived (raw URL, headers, body, concurrency).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { DocrClient, type ClientOptions } from "../../provider/client";

/** A request as the server saw it. */
export interface Seen {
    method: string;
    /** Raw request target, exactly as sent (no decoding). */
    url: string;
    headers: http.IncomingHttpHeaders;
    body: string;
    /** ms since the server started. */
    at: number;
}

/** Scripted behaviour; `n` is the 1-based index of the request. */
export type Handler = (seen: Seen, res: http.ServerResponse, req: http.IncomingMessage, n: number) => unknown;

export interface FakeServer {
    url: string;
    requests: Seen[];
    /** Highest number of requests in flight at once. */
    maxInFlight(): number;
    close(): Promise<void>;
}

export async function startFakeServer(handler: Handler): Promise<FakeServer> {
    const requests: Seen[] = [];
    const started = Date.now();
    let inFlight = 0;
    let peak = 0;
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const seen: Seen = {
                method: req.method ?? "",
                url: req.url ?? "",
                headers: req.headers,
                body: Buffer.concat(chunks).toString("utf8"),
                at: Date.now() - started,
            };
            requests.push(seen);
            inFlight++;
            peak = Math.max(peak, inFlight);
            let done = false;
            const finish = () => {
                if (!done) {
                    done = true;
                    inFlight--;
                }
            };
            res.on("finish", finish);
            res.on("close", finish);
            Promise.resolve(handler(seen, res, req, requests.length)).catch((err: unknown) => {
                res.statusCode = 599;
                res.end(String(err));
            });
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        maxInFlight: () => peak,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

/** Sends a JSON body. */
export function json(
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
): void {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
}

/** Sends the API's error body. */
export function apiError(
    res: http.ServerResponse,
    status: number,
    id: string,
    message: string,
    headers: Record<string, string> = {},
    requestId?: string,
): void {
    json(res, status, { id, message, ...(requestId ? { request_id: requestId } : {}) }, headers);
}

export function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A distinctive token: any leak is easy to spot. */
export const TOKEN = "dop_v1_CANARY0123456789abcdefLEAKCHECK";

/** A client for `server` with fast retries and no practical rate limit. */
export function clientFor(url: string, extra: ClientOptions = {}): DocrClient {
    return new DocrClient({
        token: TOKEN,
        apiUrl: url,
        retryBaseDelayMs: 2,
        retryMaxDelayMs: 20,
        timeoutMs: 2000,
        maxRequestsPerMinute: 6_000_000,
        ...extra,
    });
}

/** Runs `fn` and returns what it threw (fails if it did not throw). */
export async function caught(fn: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
    try {
        await fn();
    } catch (err) {
        return err as Error & Record<string, unknown>;
    }
    throw new Error("expected the call to throw");
}
