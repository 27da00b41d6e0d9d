import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { handleAdmin } from "./admin";
import type { Core } from "./core";
import { handleApi, tokenMatches } from "./api";
import { ApiError } from "./errors";
import { browserRefusal } from "./guard";
import { FaultInjector, type FaultRule } from "./faults";
import { ADMIN_BODY_LIMIT, API_BODY_LIMIT, isLoopback, readBody, send } from "./http";
import { mulberry32, randomRng, uuid, type Rng } from "./random";
import { RateLimiter } from "./ratelimit";
import { RequestLog } from "./requestlog";
import { Store } from "./state";

/** Settings the core needs (already defaulted by `startEmulator`). */
export interface CoreSettings {
    /** Default: the token kept in the state file, else a random one. */
    token?: string;
    seed?: number;
    statePath?: string;
    rateLimitPerMinute: number;
    rateLimitPerHour: number;
    minuteWindowMs: number;
    hourWindowMs: number;
    gcStepMs: number;
    faults: FaultRule[];
}

/**
 * The emulator's moving parts behind one HTTP server bound to 127.0.0.1 only.
 * `index.ts` wraps it in the public `RunningEmulator`.
 */
export class EmulatorCore implements Core {
    readonly token: string;
    readonly store: Store;
    readonly limiter: RateLimiter;
    readonly faults: FaultInjector;
    readonly log = new RequestLog();
    /** Ids (request ids, GC uuids, credentials) come from here: deterministic with a seed. */
    rng: Rng;
    baseUrl = "";
    private readonly server: Server;
    private readonly sockets = new Set<Socket>();

    constructor(private readonly settings: CoreSettings) {
        this.store = new Store(settings.statePath, settings.gcStepMs);
        this.token = settings.token ?? this.store.token ?? `dop_v1_emulator_${randomBytes(16).toString("hex")}`;
        if (this.store.token !== this.token) {
            this.store.token = this.token;
            this.store.touch();
            this.store.flush();
        }
        this.limiter = new RateLimiter({
            perMinute: settings.rateLimitPerMinute,
            perHour: settings.rateLimitPerHour,
            minuteMs: settings.minuteWindowMs,
            hourMs: settings.hourWindowMs,
        });
        this.faults = new FaultInjector(settings.seed, settings.faults);
        this.rng = settings.seed === undefined ? randomRng() : mulberry32(settings.seed);
        this.server = createServer((req, res) => void this.handle(req, res));
        this.server.on("connection", (s: Socket) => {
            this.sockets.add(s);
            s.on("close", () => this.sockets.delete(s));
        });
    }

    /** Restarts id generation (reset), keeping determinism for seeded emulators. */
    reseedIds(): void {
        this.rng = this.settings.seed === undefined ? randomRng() : mulberry32(this.settings.seed);
    }

    /** Binds 127.0.0.1:`port` (0 = any free port) and returns the base URL. */
    listen(port: number): Promise<string> {
        return new Promise((resolve, reject) => {
            this.server.once("error", reject);
            this.server.listen(port, "127.0.0.1", () => {
                const addr = this.server.address();
                const actual = typeof addr === "object" && addr ? addr.port : port;
                this.baseUrl = `http://127.0.0.1:${actual}`;
                resolve(this.baseUrl);
            });
        });
    }

    /** Closes the server and every open connection; flushes state. */
    async close(): Promise<void> {
        const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
        for (const s of this.sockets) s.destroy();
        await closed;
        this.store.flush();
    }

    private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        let admin = false;
        try {
            const url = new URL(req.url ?? "/", "http://127.0.0.1");
            admin = url.pathname === "/_emulator" || url.pathname.startsWith("/_emulator/");
            if (admin) {
                // Refused before reading what may be a 256 MB body.
                const refusal = isLoopback(req.socket.remoteAddress)
                    ? browserRefusal(req.headers)
                    : "admin routes are loopback only";
                if (refusal) return send(res, 403, { id: "forbidden", message: refusal }, { connection: "close" });
            }
            // An API request's body is read only once the request is let in (see handleApi).
            if (!admin) return await handleApi(this, req, res, url, () => readBody(req, API_BODY_LIMIT));
            const rawBody = await readBody(req, ADMIN_BODY_LIMIT);
            const r = handleAdmin(
                this,
                (req.method ?? "GET").toUpperCase(),
                url.pathname.slice("/_emulator".length),
                rawBody,
            );
            send(res, r.status, r.body);
        } catch (err) {
            const status = err instanceof ApiError ? err.status : 500;
            const id = err instanceof ApiError ? err.id : "server_error";
            const message = err instanceof Error ? err.message : String(err);
            if (admin) return send(res, status, { id, message });
            // An API request that failed before routing (e.g. a body over the limit) still answers like
            // every API error: {id, message, request_id}, x-request-id and the ratelimit-* headers.
            const requestId = uuid(this.rng);
            const now = Date.now();
            const rate = tokenMatches(req.headers.authorization, this.token)
                ? this.limiter.take(now).headers
                : this.limiter.peek(now);
            send(res, status, { id, message, request_id: requestId }, { ...rate, "x-request-id": requestId });
        }
    }
}
