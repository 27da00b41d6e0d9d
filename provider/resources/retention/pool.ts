/**
 * Runs `work` over `items` with at most `limit` in flight. The client's process-wide limiter
 * already paces requests; this only keeps a policy from queueing thousands of them at once.
 * `shouldStop` is consulted before each new item (e.g. after a 401, starting more is pointless).
 */
export async function forEachLimited<T>(
    items: readonly T[],
    limit: number,
    work: (item: T, index: number) => Promise<void>,
    shouldStop: () => boolean = () => false,
): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length && !shouldStop()) {
            const index = next++;
            await work(items[index], index);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker()));
}

/**
 * A progress reporter for long runs: deleting a thousand tags at the API's 250 requests a minute
 * takes minutes, and a silent `pulumi up` looks hung. Reports at most once per `intervalMs`.
 */
export function throttledProgress(
    log: (message: string) => void,
    intervalMs: number,
    now: () => number = Date.now,
): (message: () => string) => void {
    let last = now();
    return (message) => {
        const at = now();
        if (at - last < intervalMs) return;
        last = at;
        log(message());
    };
}
