/**
 * The whole plan, every tag and digest, as a JSON file the log points to: the engine log shows
 * only the first names per repository, and state carries only this run's part of the plan.
 */
import { messageOf } from "../../client/errors";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plan } from "./select";

/** Where plan files go: `DOCR_RETENTION_PLAN_DIR`, else `pulumi-docr-plans` in the temporary directory. */
export function planFileDir(env: NodeJS.ProcessEnv = process.env): string {
    const dir = env.DOCR_RETENTION_PLAN_DIR?.trim();
    return dir ? dir : join(tmpdir(), "pulumi-docr-plans");
}

/** The file's content (a stable shape, documented in the README). */
export interface PlanFile {
    registryName: string;
    computedAt: string;
    planDigest: string;
    /** `preview` (check) or `run` (create/update). */
    phase: "preview" | "run";
    repositories: Plan["repositories"];
}

/** Writes the plan; a failure to write is reported, never fatal (the plan is a courtesy). */
export function writePlanFile(
    plan: Plan,
    digest: string,
    phase: PlanFile["phase"],
    now: number,
    warn: (m: string) => void,
): string | undefined {
    const name = `${plan.registryName}-${digest.replace(/^sha256:/, "").slice(0, 16)}.json`;
    const path = join(planFileDir(), name);
    const content: PlanFile = {
        registryName: plan.registryName,
        computedAt: new Date(now).toISOString(),
        planDigest: digest,
        phase,
        repositories: plan.repositories,
    };
    try {
        mkdirSync(planFileDir(), { recursive: true });
        writeFileSync(path, `${JSON.stringify(content, null, 1)}\n`);
        return path;
    } catch (err) {
        warn(`retention: could not write the plan file ${path}: ${messageOf(err)}`);
        return undefined;
    }
}
