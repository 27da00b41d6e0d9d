/** Emulator state as comparable sets, and the host environment of retention tests. */
import type { RunningEmulator } from "../../emulator";
import { REGISTRY, RULES } from "./fixture";

/** No client-side pacing in tests (the emulator's rate limit is off too). */
export const HOST_ENV = { DOCR_MAX_REQUESTS_PER_MINUTE: "1000000" };

export interface Live {
    tags: Map<string, string[]>;
    manifests: Map<string, string[]>;
}

export function live(emu: RunningEmulator, registry = REGISTRY): Live {
    const reg = emu.snapshot().registries.find((r) => r.name === registry);
    const tags = new Map<string, string[]>();
    const manifests = new Map<string, string[]>();
    for (const repo of reg?.repositories ?? []) {
        tags.set(repo.name, repo.manifests.flatMap((m) => m.tags).sort());
        manifests.set(repo.name, repo.manifests.map((m) => m.digest).sort());
    }
    return { tags, manifests };
}

export function withoutDeleted(before: Live, deletions: { name: string; tags: string[]; manifests: string[] }[]): Live {
    const tags = new Map(before.tags);
    const manifests = new Map(before.manifests);
    for (const d of deletions) {
        tags.set(
            d.name,
            (tags.get(d.name) ?? []).filter((t) => !d.tags.includes(t)),
        );
        manifests.set(
            d.name,
            (manifests.get(d.name) ?? []).filter((m) => !d.manifests.includes(m)),
        );
    }
    return { tags, manifests };
}

/** Tags that keepTagsMatching protects, per repository. */
export function protectedTags(state: Live): Map<string, string[]> {
    const patterns = RULES.keepTagsMatching.map((p) => new RegExp(p));
    const out = new Map<string, string[]>();
    for (const [repo, tags] of state.tags)
        out.set(
            repo,
            tags.filter((t) => patterns.some((p) => p.test(t))),
        );
    return out;
}
