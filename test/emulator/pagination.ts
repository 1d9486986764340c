import {createHash} from 'node:crypto'

import {type AwsError, invalidParameter} from './errors.js'

/**
 * Opaque, validated page tokens. A token names the operation, a fingerprint of the filters
 * (AWS asks callers to keep filters constant across pages; we refuse a token replayed with
 * other filters) and the sort key of the last item returned, so pages stay correct when items
 * are added or deleted between calls (an offset would skip or repeat items).
 */
interface TokenBody {
  o: string
  f: string
  k: string
}

const SECRET = 'taskonaut-emulator'

function mac(body: string): string {
  return createHash('sha256').update(SECRET).update(body).digest('base64url').slice(0, 16)
}

export function fingerprint(filters: unknown): string {
  return createHash('sha1').update(JSON.stringify(filters ?? null)).digest('base64url').slice(0, 12)
}

export function encodeToken(body: TokenBody): string {
  const raw = Buffer.from(JSON.stringify(body)).toString('base64url')
  return `${raw}.${mac(raw)}`
}

/** The error a refused token answers: each service has its own validation error type. */
export type TokenError = (message: string) => AwsError

export function decodeToken(token: string, operation: string, filters: string, refuse: TokenError = invalidParameter): string {
  const [raw, sig, extra] = token.split('.')
  if (!raw || !sig || extra !== undefined || mac(raw) !== sig) throw refuse('Invalid nextToken.')
  let body: TokenBody
  try {
    body = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as TokenBody
  } catch {
    throw refuse('Invalid nextToken.')
  }

  if (body.o !== operation) throw refuse('Invalid nextToken: it was issued for another operation.')
  if (body.f !== filters) throw refuse('Invalid nextToken: the request parameters changed between pages.')
  return body.k
}

/**
 * One page of `items` (already in answer order, ascending by `key` unless `descending`).
 * Returns the page and the token for the next one, if any.
 */
export function page<T>(
  items: readonly T[],
  opts: {
    operation: string
    filters: unknown
    key: (item: T) => string
    descending?: boolean
    limit: number
    nextToken?: string
    /** ECS's InvalidParameterException unless given (EventBridge: ValidationException). */
    refuse?: TokenError
  },
): {items: T[]; nextToken?: string} {
  const f = fingerprint(opts.filters)
  let start = 0
  if (opts.nextToken !== undefined) {
    const after = decodeToken(opts.nextToken, opts.operation, f, opts.refuse)
    // Binary search: first item strictly past `after` in answer order.
    let lo = 0
    let hi = items.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const k = opts.key(items[mid])
      const past = opts.descending ? k < after : k > after
      if (past) hi = mid
      else lo = mid + 1
    }

    start = lo
  }

  const slice = items.slice(start, start + opts.limit)
  const more = start + opts.limit < items.length
  return {
    items: slice,
    nextToken: more ? encodeToken({f, k: opts.key(slice.at(-1) as T), o: opts.operation}) : undefined,
  }
}

/** Sort key for a number so string order equals numeric order. */
export const padNumber = (n: number) => n.toString().padStart(12, '0')
