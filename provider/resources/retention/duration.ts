/** Units accepted by {@link parseDuration}, in milliseconds. */
function unitMs(unit: string): number {
    switch (unit) {
        case "ms":
            return 1;
        case "s":
            return 1000;
        case "m":
            return 60_000;
        case "h":
            return 3_600_000;
        case "d":
            return 86_400_000;
        case "w":
            return 7 * 86_400_000;
        default:
            return NaN;
    }
}

/**
 * Parses durations such as `"24h"`, `"30m"`, `"7d"` or `"1h30m"` (units ms, s, m, h, d, w) into
 * milliseconds. Returns `undefined` for anything else, including a zero duration.
 */
export function parseDuration(text: string): number | undefined {
    const trimmed = text.trim();
    if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(trimmed)) return undefined;
    let total = 0;
    for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) {
        total += Number(match[1]) * unitMs(match[2] ?? "");
    }
    return Number.isFinite(total) && total > 0 ? total : undefined;
}

/** Whether `runEvery` has elapsed since `lastRunAt` (an unparseable `lastRunAt` counts as elapsed). */
export function isRunDue(lastRunAt: unknown, runEvery: unknown, now: number): boolean {
    if (typeof runEvery !== "string") return false;
    const every = parseDuration(runEvery);
    if (every === undefined) return false;
    const last = typeof lastRunAt === "string" ? Date.parse(lastRunAt) : NaN;
    return !Number.isFinite(last) || now - last >= every;
}
