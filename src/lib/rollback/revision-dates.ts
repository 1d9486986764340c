import type {ECSClient} from '@aws-sdk/client-ecs'

import {describeTaskDefinition} from '../ecs/task-definitions.js'
import {isThrottle, isTransient} from '../ecs/paced-client.js'
import {ECS_BUCKETS, TokenBucket, timeScaleFromEnv} from '../ecs/buckets.js'

/** A date is known, could not be loaded (null), or is still to come (undefined). */
export type LoadedDate = Date | null | undefined

export interface RevisionDatesOptions {
  /**
   * Calls in flight at once. Few on purpose: the rows the user is looking at jump the queue,
   * and a row asked for waits behind at most this many calls.
   */
  concurrency?: number
  /** Paces the calls under ECS's task definition read limit (burst 50, then 20 a second). */
  bucket?: TokenBucket
  /** Attempts per revision on throttling and transient errors before its date is given up. */
  attempts?: number
  /**
   * Task definition reads made just before (ListTaskDefinitions pages, the current revision's
   * describe): they came out of the same ECS bucket, so the loader's burst is that much smaller.
   */
  spent?: number
}

/**
 * Registration dates of a family's revisions, loaded in the background while the revision
 * list is on screen. ListTaskDefinitions gives only ARNs, so each date costs one
 * DescribeTaskDefinition: a family of 600 revisions needs 600 calls, about 28 s at ECS's read
 * rate, far too long to wait for before showing the list. So the newest page is loaded first,
 * the list appears, and the rest follow newest first, rows on screen (after a filter or a
 * scroll) before the others; each answer updates the list.
 *
 * Give it an ECS client without SDK retries ({maxAttempts: 1}): it is the retry layer, and on
 * a ThrottlingException it empties its bucket (ECS's is empty too) before trying again.
 */
export class RevisionDates {
  private readonly dates = new Map<number, Date | null>()
  private readonly attemptsMade = new Map<number, number>()
  private readonly inFlight = new Set<number>()
  private readonly arns: Map<number, string>
  /** Newest first: the order rows are loaded in when nobody asks for particular ones. */
  private readonly order: number[]
  private wanted: number[] = []
  private cursor = 0
  private running = false
  private readonly listeners = new Set<() => void>()
  private readonly waiters = new Set<() => void>()
  private notifyScheduled = false
  private readonly concurrency: number
  private readonly bucket: TokenBucket
  private readonly attempts: number

  constructor(
    private readonly ecs: ECSClient,
    revisions: readonly {arn: string; revision: number}[],
    opts: RevisionDatesOptions = {},
  ) {
    this.arns = new Map(revisions.map((r) => [r.revision, r.arn]))
    this.order = [...this.arns.keys()].sort((a, b) => b - a)
    this.concurrency = opts.concurrency ?? 6
    this.bucket = opts.bucket ?? new TokenBucket(ECS_BUCKETS['task definition read'], timeScaleFromEnv())
    this.attempts = opts.attempts ?? 6
    // Tokens of a full bucket are taken at once: these calls never wait.
    for (let i = 0; i < (opts.spent ?? 0); i++) void this.bucket.take()
  }

  /** The date of a revision: a Date, null when it could not be loaded, undefined while loading. */
  get(revision: number): LoadedDate {
    return this.dates.get(revision)
  }

  /** How many dates are settled (loaded or given up) out of how many. */
  progress(): {settled: number; total: number} {
    return {settled: this.dates.size, total: this.order.length}
  }

  /** Loads these before the others (the rows on screen); the previous wish is replaced. */
  prioritise(revisions: readonly number[]): void {
    this.wanted = revisions.filter((r) => this.arns.has(r) && !this.dates.has(r))
    this.pump()
  }

  /** Starts (or resumes) loading in the background. */
  start(): this {
    this.running = true
    this.pump()
    return this
  }

  /** Starts no new call; calls in flight finish and their dates are kept (for a later start). */
  pause(): void {
    this.running = false
  }

  /** Called (at most once per tick) whenever dates arrive. Returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Resolves once every one of `revisions` is settled, or after `ms`, whichever comes first. */
  async settled(revisions: readonly number[], ms: number): Promise<void> {
    const pending = () => revisions.some((r) => this.arns.has(r) && !this.dates.has(r))
    if (!pending()) return
    this.prioritise(revisions)
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.waiters.delete(check)
        resolve()
      }

      const check = () => {
        if (!pending()) done()
      }

      const timer = setTimeout(done, ms)
      this.waiters.add(check)
    })
  }

  private next(): number | undefined {
    const free = (r: number) => !this.dates.has(r) && !this.inFlight.has(r)
    const wanted = this.wanted.find(free)
    if (wanted !== undefined) return wanted
    while (this.cursor < this.order.length && !free(this.order[this.cursor])) this.cursor++
    // A revision given back for a retry sits behind the cursor: look again from the start.
    return this.cursor < this.order.length ? this.order[this.cursor] : this.order.find(free)
  }

  private pump(): void {
    // Rows asked for are loaded even while paused: a filtered list must not wait for a resume.
    while (this.inFlight.size < this.concurrency) {
      const revision = this.next()
      if (revision === undefined) return
      if (!this.running && !this.wanted.includes(revision)) return
      this.inFlight.add(revision)
      void this.load(revision)
    }
  }

  private async load(revision: number): Promise<void> {
    try {
      await this.bucket.take()
      // Paused while it waited for its turn (the list is gone): leave the call to a later look.
      if (!this.running && !this.wanted.includes(revision)) return
      const {taskDefinition} = await describeTaskDefinition(this.ecs, this.arns.get(revision)!)
      this.settle(revision, taskDefinition.registeredAt ? new Date(taskDefinition.registeredAt) : null)
    } catch (error) {
      if (isThrottle(error)) this.bucket.drain()
      const attempts = (this.attemptsMade.get(revision) ?? 0) + 1
      this.attemptsMade.set(revision, attempts)
      // Left unsettled, the revision is picked again in its turn (after the bucket refills).
      if (!isTransient(error) || attempts >= this.attempts) this.settle(revision, null)
    } finally {
      this.inFlight.delete(revision)
      this.pump()
    }
  }

  private settle(revision: number, date: Date | null): void {
    this.dates.set(revision, date)
    for (const check of [...this.waiters]) check()
    if (this.notifyScheduled) return
    this.notifyScheduled = true
    setImmediate(() => {
      this.notifyScheduled = false
      for (const listener of this.listeners) listener()
    })
  }
}
