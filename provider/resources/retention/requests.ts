/**
 * A plan's DELETE requests: counting them, the per-run budget, and the bound the previewed plan
 * sets on a run. Pure, so the rules are unit-tested directly (tests/retention/requests.test.ts).
 */
import type { RepositoryRequests } from "./select";

/** What some requests remove. */
export interface RequestCounts {
    requests: number;
    tags: number;
    manifests: number;
    repositories: number;
}

/** DELETE requests of one repository's part: the repository alone counts one. */
export function requestCount(r: RepositoryRequests): number {
    return r.repository ? 1 : r.manifests.length + r.tags.length;
}

export function countsOf(requests: readonly RepositoryRequests[]): RequestCounts {
    const counts: RequestCounts = { requests: 0, tags: 0, manifests: 0, repositories: 0 };
    for (const r of requests) {
        counts.requests += requestCount(r);
        counts.tags += r.tags.length + r.manifests.reduce((s, m) => s + m.tags.length, 0);
        counts.manifests += r.manifests.length;
        if (r.repository) counts.repositories += 1;
    }
    return counts;
}

export function minus(a: RequestCounts, b: RequestCounts): RequestCounts {
    return {
        requests: a.requests - b.requests,
        tags: a.tags - b.tags,
        manifests: a.manifests - b.manifests,
        repositories: a.repositories - b.repositories,
    };
}

function isEmpty(r: RepositoryRequests): boolean {
    return !r.repository && r.manifests.length === 0 && r.tags.length === 0;
}

/**
 * Splits requests at `budget`: what this run sends and what waits for the next one. In plan order
 * (repositories by name; within one, manifests before tags, since a manifest request removes
 * several tags at once).
 */
export function splitAtBudget(
    requests: readonly RepositoryRequests[],
    budget: number,
): { now: RepositoryRequests[]; later: RepositoryRequests[] } {
    const now: RepositoryRequests[] = [];
    const later: RepositoryRequests[] = [];
    let left = budget;
    for (const r of requests) {
        if (left >= requestCount(r)) {
            now.push(r);
            left -= requestCount(r);
            continue;
        }
        if (left <= 0) {
            later.push(r);
            continue;
        }
        const manifests = r.manifests.slice(0, left);
        left -= manifests.length;
        const tags = r.tags.slice(0, left);
        left -= tags.length;
        const head = { name: r.name, repository: false, manifests, tags };
        const tail = {
            name: r.name,
            repository: false,
            manifests: r.manifests.slice(manifests.length),
            tags: r.tags.slice(tags.length),
        };
        if (!isEmpty(head)) now.push(head);
        if (!isEmpty(tail)) later.push(tail);
    }
    return { now, later };
}

/**
 * The previewed plan is an upper bound: of what the rules select now (`current`), only what the
 * previewed plan (`bound`) also listed is deleted. A manifest is deleted by digest only when the
 * preview planned that, with no tag on it now that the preview did not list; otherwise its tags
 * that the preview listed go one by one and the manifest waits. Everything else is newly selected
 * and waits for the next run's preview.
 */
export function withinBound(
    current: readonly RepositoryRequests[],
    bound: readonly RepositoryRequests[],
): { allowed: RepositoryRequests[]; waiting: RepositoryRequests[] } {
    const byName = new Map(bound.map((b) => [b.name, b]));
    const allowed: RepositoryRequests[] = [];
    const waiting: RepositoryRequests[] = [];
    for (const r of current) {
        const b = byName.get(r.name);
        if (b === undefined) {
            waiting.push(r);
            continue;
        }
        const boundManifests = new Map(b.manifests.map((m) => [m.digest, new Set(m.tags)]));
        const boundTags = new Set([...b.tags, ...b.manifests.flatMap((m) => m.tags)]);
        const asPlanned = (m: { digest: string; tags: string[] }): boolean => {
            const tags = boundManifests.get(m.digest);
            return tags !== undefined && m.tags.every((t) => tags.has(t));
        };
        if (r.repository && b.repository && r.manifests.every(asPlanned) && r.tags.every((t) => boundTags.has(t))) {
            allowed.push(r);
            continue;
        }
        const ok: RepositoryRequests = { name: r.name, repository: false, manifests: [], tags: [] };
        const later: RepositoryRequests = { name: r.name, repository: false, manifests: [], tags: [] };
        for (const m of r.manifests) {
            if (asPlanned(m)) {
                ok.manifests.push(m);
                continue;
            }
            const previewed = m.tags.filter((t) => boundTags.has(t));
            ok.tags.push(...previewed);
            later.manifests.push({ digest: m.digest, tags: m.tags.filter((t) => !boundTags.has(t)) });
        }
        for (const t of r.tags) (boundTags.has(t) ? ok.tags : later.tags).push(t);
        if (!isEmpty(ok)) allowed.push(ok);
        if (!isEmpty(later)) waiting.push(later);
    }
    return { allowed, waiting };
}

/** Concatenates parts of the same repositories (e.g. waiting + over budget), one entry per repository. */
export function mergeRequests(...parts: readonly RepositoryRequests[][]): RepositoryRequests[] {
    const byName = new Map<string, RepositoryRequests>();
    for (const part of parts) {
        for (const r of part) {
            const seen = byName.get(r.name);
            if (seen === undefined)
                byName.set(r.name, {
                    name: r.name,
                    repository: r.repository,
                    manifests: [...r.manifests],
                    tags: [...r.tags],
                });
            else
                byName.set(r.name, {
                    name: r.name,
                    repository: false,
                    manifests: [...seen.manifests, ...r.manifests],
                    tags: [...seen.tags, ...r.tags],
                });
        }
    }
    return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** What requests delete, in the form {@link planDigest} takes. */
export function contentOf(
    requests: readonly RepositoryRequests[],
): { name: string; tags: string[]; manifests: string[] }[] {
    return requests.map((r) => ({
        name: r.name,
        tags: [...r.tags, ...r.manifests.flatMap((m) => m.tags)],
        manifests: r.manifests.map((m) => m.digest),
    }));
}
