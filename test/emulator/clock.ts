/**
 * Simulated time. It starts at the real wall clock (so timestamps look current) and runs
 * `timeScale` times faster; `advance` jumps ahead at once, so a test can finish a deployment
 * without waiting. Nothing here schedules timers: callers read `now()` lazily.
 */
export class Clock {
  private readonly realStart = performance.now()
  private readonly simStart: number
  private offset = 0

  constructor(
    readonly timeScale = 1,
    start = Date.now(),
  ) {
    if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`)
    this.simStart = start
  }

  /** Simulated epoch milliseconds. */
  now(): number {
    return this.simStart + (performance.now() - this.realStart) * this.timeScale + this.offset
  }

  /** Jumps simulated time forward by `ms` simulated milliseconds. */
  advance(ms: number): void {
    if (ms < 0) throw new Error('time only moves forward')
    this.offset += ms
  }

  /** Real milliseconds that `simMs` simulated milliseconds take. */
  toReal(simMs: number): number {
    return simMs / this.timeScale
  }
}
