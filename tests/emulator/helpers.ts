import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";

/** A parsed API response. */
export interface Reply {
    status: number;
    headers: Headers;
    text: string;
    // Tests poke at arbitrary JSON; `unknown` everywhere would only add casts.
    json: Record<string, unknown>;
}

/** Calls the emulator over real HTTP with the emulator's token (or `token` when given; null: none). */
export async function call(
    emu: RunningEmulator,
    method: string,
    path: string,
    body?: unknown,
    token: string | null = emu.token,
): Promise<Reply> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${emu.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: Record<string, unknown>;
    try {
        json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
        json = {};
    }
    return { status: res.status, headers: res.headers, text, json };
}

/** Starts an emulator with test-friendly defaults (no rate limit, fast GC). */
export function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
    return startEmulator({ rateLimitPerMinute: 0, gcStepMs: 30, seed: 42, ...options });
}

/** Reads a nested property path such as `registry.name` out of a reply. */
export function at(obj: unknown, path: string): unknown {
    let cur: unknown = obj;
    for (const key of path.split(".")) {
        if (typeof cur !== "object" || cur === null) return undefined;
        cur = (cur as Record<string, unknown>)[key];
    }
    return cur;
}

/** Sleeps `ms`. */
export const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A one-registry fixture with a small repository (2 tagged manifests sharing a layer, 1 untagged). */
export const SMALL_FIXTURE = {
    subscriptionTier: "basic" as const,
    takenNames: ["someone-elses"],
    registries: [
        {
            name: "acme",
            region: "fra1",
            repositories: [
                {
                    name: "team/app",
                    manifests: [
                        {
                            digest: "sha256:old",
                            tags: [],
                            updatedAt: "2024-01-01T00:00:00Z",
                            blobs: [
                                { digest: "sha256:base", sizeBytes: 1000 },
                                { digest: "sha256:oldapp", sizeBytes: 300 },
                            ],
                        },
                        {
                            digest: "sha256:mid",
                            tags: ["v1"],
                            updatedAt: "2024-01-02T00:00:00Z",
                            blobs: [
                                { digest: "sha256:base", sizeBytes: 1000 },
                                { digest: "sha256:midapp", sizeBytes: 200 },
                            ],
                        },
                        {
                            digest: "sha256:new",
                            tags: ["v2", "latest"],
                            updatedAt: "2024-01-03T00:00:00Z",
                            blobs: [
                                { digest: "sha256:base", sizeBytes: 1000 },
                                { digest: "sha256:newapp", sizeBytes: 100 },
                            ],
                        },
                    ],
                },
            ],
        },
    ],
};
