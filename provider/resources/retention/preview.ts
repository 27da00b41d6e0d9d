/** Check's part of a retention policy: the plan it shows, bounded by the earlier check's, and its log lines. */
import { describeCost } from "./cost";
import { RETENTION_DEFAULTS, type RetentionInputs } from "./inputs";
import type { EarlierCheck } from "./preview-bound";
import { writePlanFile } from "./plan-file";
import { countsOf, minus, type RequestCounts, splitAtBudget, withinBound } from "./requests";
import { budgetOf, costOf, type LivePlan, noMatchLine } from "./live-plan";
import { freedBytes, type Plan, type RepositoryRequests } from "./select";
import { describePlan, planDigest } from "./summary";

/** The part of the plan that `allowed` carries out, its freed bytes estimated again. */
export function restrictPlan(live: LivePlan, allowed: readonly RepositoryRequests[]): Plan {
    const byName = new Map(allowed.map((a) => [a.name, a]));
    const parts: Omit<Plan["repositories"][number], "bytes">[] = [];
    const gone = new Set<string>();
    for (const r of live.plan.repositories) {
        const a = byName.get(r.name);
        if (a === undefined) continue;
        const tags = new Set([...a.tags, ...a.manifests.flatMap((m) => m.tags)]);
        const digests = new Set(a.manifests.map((m) => m.digest));
        const manifests = r.manifests.filter((d) => digests.has(d));
        for (const d of manifests) gone.add(`${r.name}@${d}`);
        parts.push({ name: r.name, tags: r.tags.filter((t) => tags.has(t)), manifests, requests: a });
    }
    const freed = freedBytes(live.inventory, gone);
    return {
        registryName: live.plan.registryName,
        repositories: parts.map((p) => ({ ...p, bytes: freed.byRepository.get(p.name) ?? 0 })),
        bytes: freed.total,
    };
}

/**
 * The plan, this run's requests (carried in the checked inputs, and recorded for the next check),
 * and the log lines. With an earlier check's requests, this check plans at most those: what the
 * rules newly selected since waits for the next `pulumi up`. The digest stays the fresh plan's, so
 * `diff` still sees that something new became deletable (the run then records it as waiting).
 * `windowMs` says until when the earlier check bounds.
 */
export function previewOf(
    live: LivePlan,
    inputs: RetentionInputs,
    log: (message: string) => void,
    warn: (message: string) => void,
    earlier?: EarlierCheck,
    windowMs = 0,
): { digest: string; run: RepositoryRequests[] } {
    const digest = planDigest(live.plan);
    const dryRun = inputs.dryRun ?? RETENTION_DEFAULTS.dryRun;
    const budget = budgetOf(inputs);
    const fresh = live.plan.repositories.map((r) => r.requests);
    let plan = live.plan;
    let requests = fresh;
    let waiting: RepositoryRequests[] = [];
    let newlySelected: RequestCounts = countsOf([]);
    let since = "";
    if (earlier) {
        since = earlier.computedAt;
        ({ allowed: requests, waiting } = withinBound(fresh, earlier.requests));
        plan = restrictPlan(live, requests);
        // The earlier check recorded only its budget's part: what waits beyond this budget's part is not new.
        newlySelected = countsOf(withinBound(splitAtBudget(fresh, budget).now, earlier.requests).waiting);
    }
    const { now: run, later } = splitAtBudget(requests, budget);
    const noMatch = noMatchLine(live, inputs);
    if (noMatch) warn(noMatch);
    if (live.reused > 0)
        log(
            `retention: reused the inventories of ${live.reused} unchanged repositories (${live.repositoryNames.length} in the registry)`,
        );
    for (const line of describePlan(plan, dryRun ? "dry run, would delete" : "would delete")) log(line);
    if (newlySelected.requests > 0) {
        log(
            `retention: ${newlySelected.tags} tags and ${newlySelected.manifests} manifests newly selected since the check at ` +
                `${since} wait for the next pulumi up (a run deletes at most what that check listed; ` +
                `a check after ${new Date(Date.parse(since) + windowMs).toISOString()} plans afresh)`,
        );
    }
    if (live.plan.repositories.length > 0) {
        const overBudget = minus(countsOf([...waiting, ...later]), newlySelected);
        for (const line of describeCost(costOf(live, run), overBudget, budget, dryRun ? "a real run" : "the run"))
            log(line);
        const file = writePlanFile(plan, digest, "preview", Date.now(), warn);
        if (file) log(`retention: the whole plan (every tag and digest): ${file}`);
    }
    return { digest, run };
}
