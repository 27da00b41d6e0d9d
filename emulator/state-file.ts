import { readdirSync, readFileSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { REGISTRY_NAME_PATTERN } from "./tiers";
import type { EmulatorState } from "./types";

/** A `--state` file that cannot be used; the message names the file (and the first bad entry). */
export class StateFileError extends Error {
    constructor(
        readonly path: string,
        detail: string,
    ) {
        super(`${path} is not an emulator state file: ${detail}`);
        this.name = "StateFileError";
    }
}

// Views and GC progress do date arithmetic on these: a value Date cannot read is refused here.
const time = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { error: "expected an ISO 8601 time" });
const size = z.number().nonnegative();

const manifestSchema = z.object({
    digest: z.string().min(1),
    tags: z.array(z.string()),
    updatedAt: time,
    blobs: z.array(z.string()),
    sizeBytes: size,
});

const gcSchema = z.object({
    uuid: z.string().min(1),
    type: z.enum(["untagged manifests only", "unreferenced blobs only", "untagged manifests and unreferenced blobs"]),
    createdAt: time,
    finalStatus: z.enum(["succeeded", "cancelled", "failed"]).optional(),
    finishedAt: time.optional(),
    blobsDeleted: size,
    freedBytes: size,
});

const registrySchema = z.object({
    name: z.string().regex(REGISTRY_NAME_PATTERN),
    region: z.string().min(1),
    createdAt: time,
    blobStore: z.record(z.string(), size),
    storageUpdatedAt: time,
    repositories: z.array(z.object({ name: z.string().min(1), manifests: z.array(manifestSchema) })),
    garbageCollections: z.array(gcSchema),
});

const credentialSchema = z.object({
    registry: z.string(),
    readWrite: z.boolean(),
    expirySeconds: size,
    issuedAt: time,
    expiresAt: time.nullable(),
    username: z.string(),
});

const clusterSchema = z.object({
    id: z.string().min(1),
    name: z.string().min(1),
    region: z.string().min(1),
    createdAt: time,
    registries: z.array(z.string()),
});

const stateFileSchema = z.object({
    subscription: z
        .object({ tier: z.enum(["starter", "basic", "professional"]), createdAt: time, updatedAt: time })
        .nullable(),
    takenNames: z.array(z.string()),
    registries: z.array(registrySchema),
    credentials: z.array(credentialSchema),
    // State files written before clusters existed have none.
    clusters: z.array(clusterSchema).default([]),
    token: z.string().min(1).optional(),
    // `satisfies` keeps the schema and the EmulatorState the handlers use from drifting apart.
}) satisfies z.ZodType<EmulatorState & { token?: string }>;

/** `registries[0].repositories[1].name` from a zod issue path. */
function pathText(path: readonly PropertyKey[]): string {
    let out = "";
    for (const key of path) out += typeof key === "number" ? `[${key}]` : `${out === "" ? "" : "."}${String(key)}`;
    return out === "" ? "(the top level)" : out;
}

/** Reads and validates a state file; anything but a complete, well-formed one is a StateFileError. */
export function readStateFile(path: string): { state: EmulatorState; token?: string } {
    let parsed: unknown;
    try {
        parsed = JSON.parse(readFileSync(path, "utf8"));
    } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        throw new StateFileError(path, `not valid JSON (${err.message}; a truncated write?)`);
    }
    const result = stateFileSchema.safeParse(parsed);
    if (!result.success) {
        const issue = result.error.issues[0];
        throw new StateFileError(path, issue ? `${pathText(issue.path)}: ${issue.message}` : "invalid");
    }
    const { token, ...state } = result.data;
    return token === undefined ? { state } : { state, token };
}

/** The temp file `Store.flush` writes before renaming it over `statePath`. */
export function tmpPathFor(statePath: string): string {
    return `${statePath}.${process.pid}.tmp`;
}

function processAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        // EPERM: it exists, under another user.
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}

/**
 * Deletes the temp files a writer of `statePath` killed mid-write left behind: exactly
 * `<statePath>.<pid>.tmp`, regular files, and only when that process is gone (or is this one,
 * which has not written yet: a container's emulator often gets the same pid on every start).
 */
export function removeLeftoverTmpFiles(statePath: string): void {
    const dir = dirname(statePath);
    const prefix = `${basename(statePath)}.`;
    let entries;
    try {
        entries = readdirSync(dir, { withFileTypes: true });
    } catch {
        return;
    }
    for (const entry of entries) {
        const pidText =
            entry.name.startsWith(prefix) && entry.name.endsWith(".tmp")
                ? entry.name.slice(prefix.length, -".tmp".length)
                : "";
        if (!/^\d+$/.test(pidText) || !entry.isFile()) continue;
        const pid = Number(pidText);
        if (pid !== process.pid && processAlive(pid)) continue;
        unlinkSync(join(dir, entry.name));
    }
}
