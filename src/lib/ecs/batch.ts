import pLimit from 'p-limit'

/** Splits a list into slices of at most `size` (the API's batch maximum). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Runs `fn` over every batch with at most `concurrency` in flight; results keep batch order. */
export async function mapBatches<T, R>(items: readonly T[], size: number, concurrency: number, fn: (batch: T[]) => Promise<R>): Promise<R[]> {
  const limit = pLimit(concurrency)
  return Promise.all(chunk(items, size).map((batch) => limit(() => fn(batch))))
}

/**
 * Follows nextToken until the last page. `fetch` gets the token of the page to read and
 * returns that page's items and the next token.
 */
export async function collectPages<T>(fetch: (nextToken: string | undefined) => Promise<{items?: T[]; nextToken?: string}>): Promise<T[]> {
  const all: T[] = []
  let token: string | undefined
  do {
    const page = await fetch(token)
    all.push(...(page.items ?? []))
    token = page.nextToken
  } while (token)
  return all
}
