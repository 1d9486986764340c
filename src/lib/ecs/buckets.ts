/**
 * Client-side token buckets mirroring ECS's documented request throttling (ECS-FACTS.md):
 * if we never send faster than the bucket ECS keeps for us refills, we do not get throttled
 * in the common case, and we still use every token the account has.
 */

export interface BucketSpec {
  capacity: number
  refillPerSecond: number
}

/** ECS throttling categories (per account and region), with their burst and refill rate. */
export const ECS_BUCKETS = {
  'cluster read': {capacity: 50, refillPerSecond: 20},
  'cluster resource modify': {capacity: 100, refillPerSecond: 40},
  'cluster resource read': {capacity: 100, refillPerSecond: 20},
  'service modify': {capacity: 50, refillPerSecond: 5},
  'service read': {capacity: 100, refillPerSecond: 20},
  'task definition deletion': {capacity: 5, refillPerSecond: 1},
  'task definition modify': {capacity: 20, refillPerSecond: 1},
  'task definition read': {capacity: 50, refillPerSecond: 20},
} as const satisfies Record<string, BucketSpec>

export type EcsCategory = keyof typeof ECS_BUCKETS

const CATEGORY_OF: Record<string, EcsCategory> = {
  CreateService: 'service modify',
  DeleteService: 'service modify',
  DeleteTaskDefinitions: 'task definition deletion',
  DeregisterTaskDefinition: 'task definition modify',
  DescribeClusters: 'cluster read',
  DescribeServices: 'service read',
  DescribeTaskDefinition: 'task definition read',
  DescribeTasks: 'cluster resource read',
  ExecuteCommand: 'cluster resource modify',
  ListClusters: 'cluster read',
  ListServices: 'service read',
  ListTaskDefinitionFamilies: 'task definition read',
  ListTaskDefinitions: 'task definition read',
  ListTasks: 'cluster resource read',
  RegisterTaskDefinition: 'task definition modify',
  RunTask: 'cluster resource modify',
  StopTask: 'cluster resource modify',
  UpdateService: 'service modify',
}

export function categoryOf(operation: string): EcsCategory | undefined {
  return CATEGORY_OF[operation]
}

/**
 * Test and bench hook: TASKONAUT_TIME_SCALE=20 makes the buckets refill 20 times faster (and
 * backoff 20 times shorter), to match the local emulator run with the same time scale. Read
 * only by the pacing code; real AWS runs at 1.
 */
export function timeScaleFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.TASKONAUT_TIME_SCALE)
  return Number.isFinite(value) && value > 0 ? value : 1
}

export class AbortedError extends Error {
  constructor() {
    super('Cancelled before the call started')
    this.name = 'AbortedError'
  }
}

/** Fraction of the documented refill rate the client-side buckets use. */
export const SAFETY = 0.98

/**
 * A token bucket by reservation: `take()` spends a token at once when there is one; otherwise
 * it books the next token to come (the balance goes negative) and waits until it is due. So
 * waiting callers are served in order, at exactly the refill rate, with no polling and no
 * fixed sleeps.
 *
 * With `refillFromFirstResponse`, refilling starts only when `responded()` is first called:
 * ECS starts refilling its bucket when our first call reaches it, which is some time after we
 * send it (credentials, signing, connection, a busy event loop). Counting from our first
 * answer keeps our bucket behind ECS's, never ahead of it.
 */
export class TokenBucket {
  private tokens: number
  private last: number
  private readonly ratePerMs: number
  private startedAt?: number
  private waitingForStart: (() => void)[] = []

  constructor(
    readonly spec: BucketSpec,
    readonly timeScale = 1,
    private readonly now: () => number = () => performance.now(),
    opts: {refillFromFirstResponse?: boolean} = {},
  ) {
    this.tokens = spec.capacity
    this.last = now()
    if (!opts.refillFromFirstResponse) this.startedAt = this.last
    // 2% under the documented rate: timers fire on whole milliseconds and requests leave at
    // uneven delays; the margin keeps us a hair behind ECS's bucket rather than ahead of it
    // (which would cost a throttle and a retry).
    this.ratePerMs = (spec.refillPerSecond * timeScale * SAFETY) / 1000
  }

  private refill(): void {
    const t = this.now()
    if (this.startedAt !== undefined) this.tokens = Math.min(this.spec.capacity, this.tokens + (t - this.last) * this.ratePerMs)
    this.last = t
  }

  /** A call of this category got an answer: the refill clock runs from now on, if it did not yet. */
  responded(): void {
    if (this.startedAt !== undefined) return
    this.refill()
    this.startedAt = this.now()
    for (const wake of this.waitingForStart.splice(0)) wake()
  }

  /** Milliseconds until a token taken now could be used (0 when one is available). */
  delayFor(): number {
    this.refill()
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.ratePerMs
  }

  async take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new AbortedError()
    this.refill()
    this.tokens -= 1
    if (this.tokens >= 0) return
    // Our place in the queue: due `debt` refills after the refill clock started.
    const debt = -this.tokens
    let from = this.now()
    try {
      if (this.startedAt === undefined) {
        await this.until((wake) => this.waitingForStart.push(wake), signal)
        from = this.startedAt!
      }

      const before = Math.max(0, from + debt / this.ratePerMs - this.now())
      // Rounded up: a timer may fire up to a millisecond before a fractional delay.
      await this.until((wake) => setTimeout(wake, Math.ceil(before) + 1), signal)
    } catch (error) {
      this.tokens += 1 // give the booked token back
      throw error
    }
  }

  private until(arm: (wake: () => void) => unknown, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let done = false
      const onAbort = () => {
        if (done) return
        done = true
        reject(new AbortedError())
      }

      arm(() => {
        if (done) return
        done = true
        signal?.removeEventListener('abort', onAbort)
        resolve()
      })
      signal?.addEventListener('abort', onAbort, {once: true})
    })
  }

  /** ECS said "Rate exceeded": its bucket is empty, so ours must be too (bookings stay booked). */
  drain(): void {
    this.refill()
    this.tokens = Math.min(this.tokens, 0)
  }
}

/** One bucket per ECS category, built on first use. */
export class EcsBuckets {
  private buckets = new Map<EcsCategory, TokenBucket>()

  constructor(
    readonly timeScale = 1,
    private readonly now?: () => number,
  ) {}

  forOperation(operation: string): TokenBucket | undefined {
    const category = categoryOf(operation)
    if (!category) return undefined
    let bucket = this.buckets.get(category)
    if (!bucket) {
      bucket = new TokenBucket(ECS_BUCKETS[category], this.timeScale, this.now, {refillFromFirstResponse: true})
      this.buckets.set(category, bucket)
    }

    return bucket
  }
}

/**
 * The least time ECS's buckets allow for `calls` calls of one category, starting with a full
 * bucket: the first `capacity` go at once, the rest one per refill.
 */
export function floorSeconds(calls: number, spec: BucketSpec): number {
  return Math.max(0, calls - spec.capacity) / spec.refillPerSecond
}
