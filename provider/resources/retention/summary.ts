/** Digest, summary and log lines of a {@link Plan}. */
import { createHash } from "node:crypto";
import type { Plan } from "./select";

/** What a plan deletes, as a digest input: registry, then per repository the tags and manifests. */
export interface PlanContent {
    registryName: string;
    repositories: { name: string; tags: string[]; manifests: string[] }[];
}

/**
 * A stable digest of what a plan deletes (order-independent; sizes and times left out, so a
 * registry that merely ages does not change it). `check` records it among the inputs so that an
 * offline `diff` notices when there is something new to delete.
 */
export function planDigest(plan: PlanContent): string {
    const repositories = plan.repositories
        .filter((r) => r.tags.length > 0 || r.manifests.length > 0)
        .map((r) => [r.name, [...r.tags].sort(), [...r.manifests].sort()] as const)
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const text = JSON.stringify([plan.registryName, repositories]);
    return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

/** Counts per repository, as kept in state (`plannedDeletions`): small whatever the plan's size. */
export interface PlanSummary {
    registryName: string;
    tags: number;
    manifests: number;
    /** Estimated bytes a garbage collection frees once the planned manifests are deleted. */
    bytes: number;
    repositories: { name: string; tags: number; manifests: number; bytes: number }[];
}

export function summarizePlan(plan: Plan): PlanSummary {
    const repositories = plan.repositories.map((r) => ({
        name: r.name,
        tags: r.tags.length,
        manifests: r.manifests.length,
        bytes: r.bytes,
    }));
    return {
        registryName: plan.registryName,
        tags: repositories.reduce((s, r) => s + r.tags, 0),
        manifests: repositories.reduce((s, r) => s + r.manifests, 0),
        bytes: plan.bytes,
        repositories,
    };
}

/** `1.5 GiB`, `320 MiB`, `12 KiB`, `0 B`. */
export function formatBytes(bytes: number): string {
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit += 1;
    }
    return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/**
 * Short log lines for the engine log: one total, one per repository with the first few tags,
 * so a user sees the damage at preview without a wall of text.
 */
export function describePlan(plan: Plan, verb: string, maxNames = 5): string[] {
    const s = summarizePlan(plan);
    const lines = [
        `retention: registry "${s.registryName}": ${verb} ${s.tags} tags and ${s.manifests} manifests in ` +
            `${s.repositories.length} repositories (~${formatBytes(s.bytes)} freed after garbage collection)`,
    ];
    for (const r of plan.repositories) {
        const names =
            r.tags.slice(0, maxNames).join(", ") +
            (r.tags.length > maxNames ? `, … (+${r.tags.length - maxNames})` : "");
        lines.push(
            `retention:   ${r.name}: ${r.tags.length} tags${names ? ` [${names}]` : ""}, ${r.manifests.length} manifests, ~${formatBytes(r.bytes)}`,
        );
    }
    return lines;
}
