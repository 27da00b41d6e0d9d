/**
 * The bound one check leaves for the next. `pulumi up` checks in its preview and again in its
 * update (often in another host process), and `pulumi preview` and a later `pulumi up
 * --skip-preview` are separate processes: the checked inputs alone cannot carry the plan the user
 * looked at. So each check writes the requests it lets a run send to one small file per policy
 * (registry, endpoint and rules), and a later check within `DOCR_RETENTION_PREVIEW_WINDOW_MS`
 * plans at most those; a run removes the file, so the next `pulumi up` starts from a fresh plan.
 */
import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { envNumber, messageOf, MILLISECONDS } from "../../client";
import { type RetentionInputs, rulesOf } from "./inputs";
import { previewPlanSchema } from "./schema";
import { replaceFile } from "../../shared/replace-file";
import { planFileDir } from "./plan-file";
import type { RepositoryRequests } from "./select";

/** Covers `pulumi up`'s wait for confirmation, and a `pulumi preview` followed soon by `pulumi up --skip-preview`. */
export const DEFAULT_PREVIEW_WINDOW_MS = 15 * 60_000;

/** The window from the environment at call time; a bad value fails the check (it would silently widen the bound). */
export function previewWindowMs(env: NodeJS.ProcessEnv = process.env): number {
    return (
        envNumber(
            "DOCR_RETENTION_PREVIEW_WINDOW_MS",
            { ...MILLISECONDS, says: `${MILLISECONDS.says} (0: no bound across checks)` },
            env,
        ) ?? DEFAULT_PREVIEW_WINDOW_MS
    );
}

/** One file per policy: the registry, then a digest of the endpoint and the selection rules (defaults applied). */
export function boundKey(inputs: RetentionInputs, endpoint: string): string {
    const digest = createHash("sha256")
        .update(JSON.stringify([endpoint, inputs.registryName, rulesOf(inputs)]))
        .digest("hex");
    return `${inputs.registryName}-${digest.slice(0, 16)}`;
}

function boundPath(key: string): string {
    return join(planFileDir(), "checks", `${key}.json`);
}

/* Built per call, like the inputs schema. */
function boundFileSchema() {
    return z.object({ key: z.string(), computedAt: z.string(), requests: previewPlanSchema });
}

/** What an earlier check let a run send, and when it planned. */
export type EarlierCheck = z.infer<ReturnType<typeof boundFileSchema>>;

/**
 * The earlier check's requests when it planned within the window; else undefined, and this check's
 * own plan is the bound. A file that cannot be read or parsed is ignored with a log line.
 */
export function readEarlierCheck(
    key: string,
    now: number,
    windowMs: number,
    log: (m: string) => void,
): EarlierCheck | undefined {
    if (windowMs <= 0) return undefined;
    const path = boundPath(key);
    let text: string;
    try {
        text = readFileSync(path, "utf8");
    } catch (err) {
        if (err instanceof Error && "code" in err && err.code === "ENOENT") return undefined;
        log(
            `retention: ignored the earlier check's plan ${path} (${messageOf(err)}); this check's own plan is the bound`,
        );
        return undefined;
    }
    let parsed: ReturnType<ReturnType<typeof boundFileSchema>["safeParse"]>;
    try {
        parsed = boundFileSchema().safeParse(JSON.parse(text));
    } catch (err) {
        log(
            `retention: ignored the earlier check's plan ${path} (not JSON: ${messageOf(err)}); this check's own plan is the bound`,
        );
        return undefined;
    }
    if (!parsed.success || parsed.data.key !== key || !Number.isFinite(Date.parse(parsed.data.computedAt))) {
        log(
            `retention: ignored the earlier check's plan ${path} (not a plan of this policy); this check's own plan is the bound`,
        );
        return undefined;
    }
    const age = now - Date.parse(parsed.data.computedAt);
    return age >= 0 && age <= windowMs ? parsed.data : undefined;
}

/** Replaces the policy's file at once (temporary file, then rename): a concurrent reader sees the old or the new, never half. */
export function writeCheck(key: string, requests: RepositoryRequests[], now: number, warn: (m: string) => void): void {
    const path = boundPath(key);
    const content: EarlierCheck = { key, computedAt: new Date(now).toISOString(), requests };
    const problem = replaceFile(path, `${JSON.stringify(content)}\n`);
    if (problem !== undefined) {
        warn(
            `retention: could not record this check's plan in ${path}: ${problem} (a later check of this policy will not be bounded by it)`,
        );
    }
}

/** After a run: the deployment the file bounded is over, the next one plans afresh. */
export function consumeCheck(key: string): void {
    try {
        rmSync(boundPath(key), { force: true });
    } catch {
        // A file left behind only narrows a check within the window; it expires with it.
    }
}
