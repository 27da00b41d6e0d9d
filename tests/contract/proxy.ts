/**
 * A recording HTTP proxy on 127.0.0.1 in front of the emulator: it keeps each request exactly as the
 * client put it on the wire (method, raw URL, headers, body) and the response exactly as the
 * emulator sent it (status, headers, body), for the contract checks.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { Socket } from "node:net";

/** One request/response pair as seen on the wire. The Authorization header is never kept. */
export interface Exchange {
    method: string;
    /** Path and query as sent (percent-encoding kept). */
    url: string;
    requestHeaders: Record<string, string | string[] | undefined>;
    requestBody: string;
    /** Whether the request carried `Authorization: Bearer <something>` (the value itself is not kept). */
    bearer?: boolean;
    /** 0 when the upstream dropped the connection. */
    status: number;
    responseHeaders: Record<string, string | string[] | undefined>;
    responseBody: string;
}

/** A running proxy. */
export interface RecordingProxy {
    /** `http://127.0.0.1:<port>`: use as the client's base URL. */
    url: string;
    /** Exchanges so far, oldest first. */
    exchanges: Exchange[];
    /** Exchanges recorded while `fn` ran. */
    during<T>(fn: () => Promise<T>): Promise<{ value: T; exchanges: Exchange[] }>;
    stop(): Promise<void>;
}

function withoutAuth(h: IncomingHttpHeaders): Record<string, string | string[] | undefined> {
    const { authorization: _omitted, ...rest } = h;
    return { ...rest };
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => resolve(Buffer.concat(chunks)));
        stream.on("error", reject);
    });
}

/** Starts a proxy forwarding everything to `target` (an `http://127.0.0.1:<port>` URL). */
export async function startProxy(target: string): Promise<RecordingProxy> {
    const upstream = new URL(target);
    const exchanges: Exchange[] = [];
    const sockets = new Set<Socket>();
    const server: Server = createServer((req, res) => {
        void (async () => {
            const body = await readAll(req);
            const ex: Exchange = {
                method: (req.method ?? "GET").toUpperCase(),
                url: req.url ?? "/",
                requestHeaders: withoutAuth(req.headers),
                requestBody: body.toString("utf8"),
                bearer: /^Bearer \S+$/.test(req.headers.authorization ?? ""),
                status: 0,
                responseHeaders: {},
                responseBody: "",
            };
            const out = request(
                {
                    host: upstream.hostname,
                    port: upstream.port,
                    method: req.method,
                    path: req.url,
                    headers: { ...req.headers, host: upstream.host },
                },
                (up) => {
                    void readAll(up).then(
                        (buf) => {
                            ex.status = up.statusCode ?? 0;
                            ex.responseHeaders = { ...up.headers };
                            ex.responseBody = buf.toString("utf8");
                            exchanges.push(ex);
                            res.writeHead(ex.status, up.headers);
                            res.end(buf);
                        },
                        () => {
                            exchanges.push(ex);
                            req.socket.destroy();
                        },
                    );
                },
            );
            out.on("error", () => {
                exchanges.push(ex);
                req.socket.destroy();
            });
            out.end(body);
        })();
    });
    server.on("connection", (s: Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolveListen, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolveListen());
    });
    const addr = server.address();
    const port = typeof addr === "object" && addr ? addr.port : 0;
    return {
        url: `http://127.0.0.1:${port}`,
        exchanges,
        async during(fn) {
            const from = exchanges.length;
            const value = await fn();
            return { value, exchanges: exchanges.slice(from) };
        },
        stop: () =>
            new Promise<void>((resolveClose) => {
                for (const s of sockets) s.destroy();
                server.close(() => resolveClose());
            }),
    };
}
