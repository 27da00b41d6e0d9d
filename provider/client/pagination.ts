/**
 * Async iteration over paged lists: `per_page=200`; numbered pages after the first fetched
 * concurrently (bounded) and yielded in order; `page_token` lists followed one page at a time.
 */
import { createDocrError } from "./errors";
import type { Logger } from "./retry";
import type { PageInfo } from "./schemas/common";

/** The API's maximum page size. */
export const PER_PAGE = 200;
/** Pages in flight at once for one listing (the process-wide limiter still applies). */
export const DEFAULT_PAGE_CONCURRENCY = 32;
// A server claiming more pages than this is more likely broken than that large.
const MAX_PAGES = 100_000;

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
  const cursor: Cursor = { page: Number.isInteger(page) && page > 0 ? page : undefined, pageToken: pageToken || undefined };
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

/** Numbered pages: page 1, then pages 2..last concurrently (bounded), yielded in page order. */
export async function* paginateByPage<T>(fetchPage: (page: number) => Promise<Page<T>>, opts: ListOptions<T>): AsyncGenerator<T> {
  const tally = new Tally(opts);
  const first = await fetchPage(1);
  yield* tally.take(first.items);
  const last = lastPageOf(first.info);
  let current = first;
  let pageNo = 1;
  if (last !== undefined) {
    guardPageCount(opts.operation, last);
    const inFlight: Promise<Page<T>>[] = [];
    let nextToStart = 2;
    const start = () => {
      const pending = fetchPage(nextToStart++);
      pending.catch(() => undefined); // awaited below; this only stops an abandoned page from being "unhandled"
      inFlight.push(pending);
    };
    while (nextToStart <= last && inFlight.length < opts.concurrency) start();
    while (inFlight.length > 0) {
      const pending = inFlight.shift() as Promise<Page<T>>;
      current = await pending;
      pageNo++;
      if (nextToStart <= last) start();
      yield* tally.take(current.items);
    }
  }
  // Without meta/last (or when the list grew past `last`), follow `next` links one by one.
  for (let next = cursorOf(current.info.links?.pages?.next); next && current.items.length > 0; next = cursorOf(current.info.links?.pages?.next)) {
    const page = next.page ?? pageNo + 1;
    if (page <= pageNo) break;
    guardPageCount(opts.operation, page);
    current = await fetchPage(page);
    pageNo = page;
    yield* tally.take(current.items);
  }
  tally.finish(first.info.meta?.total);
}

/** Token pages (repositoriesV2): each page's `next` link carries the token of the following one. */
export async function* paginateByToken<T>(fetchPage: (cursor: Cursor | undefined) => Promise<Page<T>>, opts: ListOptions<T>): AsyncGenerator<T> {
  const tally = new Tally(opts);
  const seenTokens = new Set<string>();
  let total: number | undefined;
  let cursor: Cursor | undefined;
  for (let pages = 1; ; pages++) {
    const page = await fetchPage(cursor);
    total ??= page.info.meta?.total;
    yield* tally.take(page.items);
    cursor = cursorOf(page.info.links?.pages?.next);
    if (!cursor || page.items.length === 0) break;
    if (cursor.pageToken !== undefined) {
      if (seenTokens.has(cursor.pageToken)) {
        throw createDocrError({ kind: "malformed_response", operation: opts.operation, fieldPath: "links.pages.next", detail: "page_token repeats: the listing would never end" });
      }
      seenTokens.add(cursor.pageToken);
    }
    guardPageCount(opts.operation, pages + 1);
  }
  tally.finish(total);
}

function guardPageCount(operation: string, pages: number): void {
  if (pages > MAX_PAGES) {
    throw createDocrError({ kind: "malformed_response", operation, fieldPath: "meta.total", detail: `the listing claims ${pages} pages (limit ${MAX_PAGES})` });
  }
}

/** Counts what was yielded, skips duplicates, and reports a count that disagrees with `meta.total`. */
class Tally<T> {
  // Assigned in the constructor, not as field initializers: closure serialization of a dynamic
  // provider keeps only the constructor body, so initialized fields would be undefined there.
  private readonly seen: Set<string>;
  private duplicates: number;
  constructor(private readonly opts: ListOptions<T>) {
    this.seen = new Set<string>();
    this.duplicates = 0;
  }

  *take(items: readonly T[]): Generator<T> {
    for (const item of items) {
      const key = this.opts.key(item);
      if (this.seen.has(key)) {
        this.duplicates++;
        continue;
      }
      this.seen.add(key);
      yield item;
    }
  }

  finish(total: number | undefined): void {
    if (this.duplicates > 0) {
      this.opts.log("warn", `${this.opts.operation}: skipped ${this.duplicates} duplicate item(s): the list changed while it was being read`);
    }
    if (total !== undefined && total !== this.seen.size) {
      this.opts.log("warn", `${this.opts.operation}: read ${this.seen.size} item(s) but the API reported ${total}: the list changed while it was being read`);
    }
  }
}

/** Collects a listing (any of the client's async iterables) into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
