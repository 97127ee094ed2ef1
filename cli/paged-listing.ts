import { displayText } from "../core/problems";

/*
 * Pagination that always ends. A control plane that hands back the token it was given ("same"), or two tokens in
 * turn (A, B, A, ...), kept catalog:sync requesting pages for ever while its memory grew; a runaway listing is as bad.
 * Every List loop of the operator commands goes through `listAllPages`: it stops on a token seen before and at a page
 * ceiling, each with one line saying which.
 */

/** Default page ceiling of one listing: 100 pages of 100 entries is ten times any Bedrock or AppConfig listing. */
export const DEFAULT_MAX_PAGES = 100;

/** A listing that would not end: a token came back, or the page ceiling was reached. */
export class EndlessListing extends Error {
  constructor(
    message: string,
    /** The pages read before stopping. */
    readonly pages: number,
  ) {
    super(message);
    this.name = "EndlessListing";
  }
}

/** One page as the caller's List call returned it. */
export interface ListingPage<T> {
  readonly items?: readonly T[];
  readonly nextToken?: unknown;
}

/** Options of one listing. */
export interface ListingOptions<T> {
  /** Pages read at most. Default: DEFAULT_MAX_PAGES. */
  readonly maxPages?: number;
  /** Stop early once this returns true for an item (a lookup by name). Default: read every page. */
  readonly until?: (item: T) => boolean;
}

/**
 * Calls `list` with each page's token until a page has none. Throws EndlessListing when a token repeats (a cycle of
 * any length) or when `maxPages` pages did not reach the end. Returns the items and the number of pages read.
 */
export async function listAllPages<T>(list: (token: string | undefined) => Promise<ListingPage<T>>, options: ListingOptions<T> = {}): Promise<{ items: T[]; pages: number }> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const seen = new Set<string>();
  const items: T[] = [];
  let token: string | undefined;
  for (let pages = 1; ; pages++) {
    const page = await list(token);
    for (const item of page.items ?? []) {
      items.push(item);
      if (options.until?.(item)) return { items, pages };
    }
    const next = page.nextToken;
    if (next === undefined || next === null || next === "") return { items, pages };
    const key = String(next);
    if (seen.has(key) || key === token)
      throw new EndlessListing(`returned the page token ${JSON.stringify(displayText(key, 40))} a second time (page ${pages}): a token that comes back would never end the listing`, pages);
    if (pages >= maxPages) throw new EndlessListing(`had more pages after ${maxPages} (the page ceiling, --max-pages): the listing did not end`, pages);
    seen.add(key);
    token = key;
  }
}
