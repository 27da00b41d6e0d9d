/**
 * Async iteration over paged lists: `per_page=200`; numbered pages after the first fetched
 * concurrently (bounded) and yielded in order; `page_token` lists followed one page at a time.
 */
import { createDocrError } from "./errors";
import type { Logger } from "./retry";
import type { PageInfo } from "./types";

/** The API's maximum page size. */
export const PER_PAGE = 200;
/** Pages in flight at once for one listing (the process-wide limiter still applies). */
export const DEFAULT_PAGE_CONCURRENCY = 32;
/** How long one listing may run: 15 minutes. */
export const DEFAULT_MAX_LIST_TIME_MS = 900_000;
// A server claiming more pages than this is more likely broken than that large.
const MAX_PAGES = 100_000;
/**
 * Pages a listing whose first page announced no size (no `meta.total`, no `last` link) may run to:
 * 20,000 items at 200 a page. A server that keeps linking new pages would otherwise cost requests
 * until the list deadline (thousands, most of the hourly quota).
 */
export const MAX_UNANNOUNCED_PAGES = 100;

/** One fetched page, normalized. */
export interface Page<T> {
    items: T[];
    info: PageInfo;
}

/** Where to continue, read from a `next` link (never followed as a URL: it names the API's own host). */
export interface Cursor {
    page?: number;
    pageToken?: string;
}

/** How one listing behaves. */
export interface ListOptions<T> {
    operation: string;
    /** Identity of an item, to skip duplicates when pages shift under concurrent changes. */
    key: (item: T) => string;
    concurrency: number;
    /** No page is asked for once this long has passed since the first (a server may never stop sending `next`). */
    maxTimeMs: number;
    log: Logger;
}

/** Reads the `page`/`page_token` query of a link; `undefined` when absent or unusable. */
export function cursorOf(link: string | undefined): Cursor | undefined {
    if (!link) return undefined;
    let url: URL;
    try {
        url = new URL(link, "http://placeholder.invalid");
    } catch {
        return undefined;
    }
    const page = Number(url.searchParams.get("page") ?? NaN);
    const pageToken = url.searchParams.get("page_token") ?? undefined;
    const cursor: Cursor = {
        page: Number.isInteger(page) && page > 0 ? page : undefined,
        pageToken: pageToken || undefined,
    };
    return cursor.page === undefined && cursor.pageToken === undefined ? undefined : cursor;
}

/**
 * Last page number from page 1: the larger of `ceil(meta.total / per_page)` and the `last` link's
 * page (a disagreement costs an extra empty page, never a dropped one). `undefined` if neither says.
 */
export function lastPageOf(info: PageInfo, perPage: number = PER_PAGE): number | undefined {
    const fromTotal = info.meta ? Math.ceil(info.meta.total / perPage) : undefined;
    const fromLink = cursorOf(info.links?.pages?.last)?.page;
    if (fromTotal === undefined && fromLink === undefined) return undefined;
    return Math.max(fromTotal ?? 1, fromLink ?? 1, 1);
}

/**
 * Numbered pages: page 1, then pages 2..last concurrently (bounded), yielded in page order. The
 * first empty page ends the listing; a short page 1 (a server whose `meta.total` over-claims)
 * turns the fan-out into one page at a time, so a false total costs one request, not thousands.
 */
export async function* paginateByPage<T>(
    fetchPage: (page: number) => Promise<Page<T>>,
    opts: ListOptions<T>,
): AsyncGenerator<T> {
    const tally = new Tally(opts);
    const first = await fetchPage(1);
    for (const item of tally.take(first.items, 1)) yield item;
    const last = lastPageOf(first.info);
    let current = first;
    let pageNo = 1;
    if (last !== undefined && last > 1 && first.items.length > 0) {
        guardPageCount(opts.operation, last);
        const concurrency = first.items.length >= PER_PAGE ? opts.concurrency : 1;
        // Started and not yet read, in page order; at most `concurrency` of them unanswered.
        const ahead: Promise<Page<T>>[] = [];
        let unanswered = 0;
        let nextToStart = 2;
        let stopped = false;
        // A page goes out as soon as one in flight is answered (with items), not when the reader gets
        // to it: a reader busy with earlier pages then holds back no request. No more than
        // `concurrency` answered pages wait ahead of the reader, so one that stops early wastes little.
        const refill = () => {
            while (
                !stopped &&
                nextToStart <= last &&
                unanswered < concurrency &&
                ahead.length < 2 * concurrency &&
                !tally.pastDeadline()
            ) {
                unanswered++;
                const pending = fetchPage(nextToStart++);
                // Also what keeps a page nobody reads any more from being an "unhandled" rejection.
                pending.then(
                    (page) => {
                        unanswered--;
                        if (page.items.length > 0) refill();
                    },
                    () => {
                        unanswered--;
                    },
                );
                ahead.push(pending);
            }
        };
        try {
            refill();
            while (ahead.length > 0) {
                current = await (ahead.shift() as Promise<Page<T>>);
                pageNo++;
                if (current.items.length === 0) break;
                tally.checkTime(pageNo);
                refill();
                for (const item of tally.take(current.items, pageNo)) yield item;
            }
        } finally {
            stopped = true;
        }
    }
    // Without meta/last (or when the list grew past `last`), follow `next` links one by one.
    for (
        let next = cursorOf(current.info.links?.pages?.next);
        next && current.items.length > 0;
        next = cursorOf(current.info.links?.pages?.next)
    ) {
        const page = next.page ?? pageNo + 1;
        if (page <= pageNo) break;
        guardPageCount(opts.operation, page);
        if (last !== undefined && page > last + growthSlack(last)) {
            throw tally.endless(
                `page ${pageNo} still links a next page, but page 1 said there are ${last} (meta.total ${first.info.meta?.total ?? "absent"})`,
            );
        }
        if (last === undefined && page > MAX_UNANNOUNCED_PAGES) throw tally.endless(unannounced(pageNo));
        tally.checkTime(page);
        current = await fetchPage(page);
        pageNo = page;
        for (const item of tally.take(current.items, page)) yield item;
    }
    tally.finish(first.info.meta?.total);
}

/** Token pages (repositoriesV2): each page's `next` link carries the token of the following one. */
export async function* paginateByToken<T>(
    fetchPage: (cursor: Cursor | undefined) => Promise<Page<T>>,
    opts: ListOptions<T>,
): AsyncGenerator<T> {
    const tally = new Tally(opts);
    const seenTokens = new Set<string>();
    let total: number | undefined;
    let cursor: Cursor | undefined;
    let mostPages = MAX_UNANNOUNCED_PAGES;
    for (let pages = 1; ; pages++) {
        const page = await fetchPage(cursor);
        if (pages === 1 && page.info.meta !== undefined) {
            total = page.info.meta.total;
            // Counted in pages of the size the server chose for the first one.
            const announced = Math.max(1, Math.ceil(total / Math.max(1, page.items.length)));
            mostPages = announced + growthSlack(announced);
        }
        for (const item of tally.take(page.items, pages)) yield item;
        cursor = cursorOf(page.info.links?.pages?.next);
        if (!cursor || page.items.length === 0) break;
        if (cursor.pageToken !== undefined) {
            if (seenTokens.has(cursor.pageToken))
                throw tally.endless(`page ${pages} links a page_token already followed`);
            seenTokens.add(cursor.pageToken);
        }
        if (pages + 1 > mostPages) {
            throw tally.endless(
                total === undefined
                    ? unannounced(pages)
                    : `page ${pages} still links a next page, but page 1 said there are ${total} item(s) (meta.total)`,
            );
        }
        guardPageCount(opts.operation, pages + 1);
        tally.checkTime(pages + 1);
    }
    tally.finish(total);
}

function unannounced(pageNo: number): string {
    return (
        `page ${pageNo} still links a next page; page 1 announced no size (no meta.total, no last link), ` +
        `and such a listing stops after ${MAX_UNANNOUNCED_PAGES} pages`
    );
}

/** Pages a list may grow by while it is read before `next` links past the claimed last page count as endless. */
function growthSlack(claimed: number): number {
    return Math.max(2, Math.ceil(claimed / 10));
}

function guardPageCount(operation: string, pages: number): void {
    if (pages > MAX_PAGES) {
        throw createDocrError({
            kind: "malformed_response",
            operation,
            fieldPath: "meta.total",
            detail: `the listing claims ${pages} pages (limit ${MAX_PAGES})`,
        });
    }
}

/**
 * Counts what was yielded, skips duplicates, reports a count that disagrees with `meta.total`,
 * and stops listings that would never end: a page with nothing new, or time past `maxTimeMs`.
 */
class Tally<T> {
    private readonly seen = new Set<string>();
    private duplicates = 0;
    private readonly startedAt = Date.now();
    constructor(private readonly opts: ListOptions<T>) {}

    /** The items of `page` not read before (a plain array: delegating to a generator costs per item). */
    take(items: readonly T[], page: number): T[] {
        const fresh: T[] = [];
        for (const item of items) {
            const key = this.opts.key(item);
            if (this.seen.has(key)) {
                this.duplicates++;
                continue;
            }
            this.seen.add(key);
            fresh.push(item);
        }
        // A shifting list repeats a few items; a page of nothing but repeats is a server going round in circles.
        if (page > 1 && items.length > 0 && fresh.length === 0) {
            throw this.endless(
                `page ${page} holds only items already read (the server may be ignoring the page asked for)`,
            );
        }
        return fresh;
    }

    pastDeadline(): boolean {
        return Date.now() - this.startedAt > this.opts.maxTimeMs;
    }

    /** Before asking for `page`: past the deadline, the listing fails rather than run on. */
    checkTime(page: number): void {
        const elapsed = Date.now() - this.startedAt;
        if (elapsed > this.opts.maxTimeMs) {
            throw this.endless(
                `still listing after ${seconds(elapsed)}, about to ask for page ${page} ` +
                    `(limit ${seconds(this.opts.maxTimeMs)}, the client option maxListTimeMs)`,
            );
        }
    }

    endless(what: string) {
        return createDocrError({
            kind: "malformed_response",
            operation: this.opts.operation,
            fieldPath: "links.pages.next",
            detail: `${what}; read ${this.seen.size} item(s) so far; stopped: the listing would never end`,
        });
    }

    finish(total: number | undefined): void {
        if (this.duplicates > 0) {
            this.opts.log(
                "warn",
                `${this.opts.operation}: skipped ${this.duplicates} duplicate item(s): the list changed while it was being read`,
            );
        }
        if (total !== undefined && total !== this.seen.size) {
            this.opts.log(
                "warn",
                `${this.opts.operation}: read ${this.seen.size} item(s) but the API reported ${total}: the list changed while it was being read`,
            );
        }
    }
}

function seconds(ms: number): string {
    return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** Collects a listing (any of the client's async iterables) into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const item of items) out.push(item);
    return out;
}
