import { unprocessable } from "../errors";
import { hex } from "../random";
import { param, type Route } from "../router";
import { MAX_EXPIRY_SECONDS } from "../tiers";

function readWriteParam(raw: string | null): boolean {
    if (raw === null || raw === "" || raw === "false") return false;
    if (raw === "true") return true;
    throw unprocessable(`read_write must be true or false, got "${raw}"`);
}

function expiryParam(raw: string | null): number {
    if (raw === null || raw === "") return 0;
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n) || n > MAX_EXPIRY_SECONDS) {
        throw unprocessable(`expiry_seconds must be an integer between 0 and ${MAX_EXPIRY_SECONDS}, got "${raw}"`);
    }
    return n;
}

/** Docker credentials; every issued credential is recorded for `credentials()`. */
export const credentialRoutes: Route[] = [
    {
        method: "GET",
        path: "/v2/registries/:registry_name/docker-credentials",
        operationId: "registries_get_dockerCredentials",
        handler: (ctx) => {
            const registry = ctx.store.registry(param(ctx, "registry_name"));
            const readWrite = readWriteParam(ctx.query.get("read_write"));
            const expirySeconds = expiryParam(ctx.query.get("expiry_seconds"));
            const username = `${readWrite ? "rw" : "ro"}-${hex(ctx.rng, 16)}`;
            const password = hex(ctx.rng, 40);
            ctx.store.state.credentials.push({
                registry: registry.name,
                readWrite,
                expirySeconds,
                issuedAt: new Date(ctx.now).toISOString(),
                expiresAt: expirySeconds > 0 ? new Date(ctx.now + expirySeconds * 1000).toISOString() : null,
                username,
            });
            ctx.store.touch();
            const auth = Buffer.from(`${username}:${password}`, "utf8").toString("base64");
            return { status: 200, body: { auths: { "registry.digitalocean.com": { auth } } } };
        },
    },
];
