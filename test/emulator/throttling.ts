import type {Clock} from './clock.js'

/** ECS request throttling categories, from ../shared/ECS-FACTS.md (AWS "Request throttling"). */
export const THROTTLE_CATEGORIES: Record<string, {burst: number; refillPerSecond: number; actions: string[]}> = {
  clusterRead: {actions: ['DescribeClusters', 'ListClusters'], burst: 50, refillPerSecond: 20},
  clusterResourceModify: {actions: ['ExecuteCommand', 'RunTask', 'StopTask'], burst: 100, refillPerSecond: 40},
  clusterResourceRead: {actions: ['DescribeTasks', 'ListTasks'], burst: 100, refillPerSecond: 20},
  // ListServiceDeployments / DescribeServiceDeployments / DescribeServiceRevisions are not in
  // the published table; they are counted as service reads here (decision, see README).
  serviceModify: {actions: ['CreateService', 'UpdateService', 'DeleteService'], burst: 50, refillPerSecond: 5},
  serviceRead: {
    actions: ['DescribeServices', 'ListServices', 'ListServiceDeployments', 'DescribeServiceDeployments', 'DescribeServiceRevisions'],
    burst: 100,
    refillPerSecond: 20,
  },
  taskDefinitionDelete: {actions: ['DeleteTaskDefinitions'], burst: 5, refillPerSecond: 1},
  taskDefinitionModify: {actions: ['RegisterTaskDefinition', 'DeregisterTaskDefinition'], burst: 20, refillPerSecond: 1},
  taskDefinitionRead: {
    actions: ['DescribeTaskDefinition', 'ListTaskDefinitions', 'ListTaskDefinitionFamilies'],
    burst: 50,
    refillPerSecond: 20,
  },
}

const categoryOf = new Map<string, string>()
for (const [name, c] of Object.entries(THROTTLE_CATEGORIES)) for (const a of c.actions) categoryOf.set(a, name)

class Bucket {
  private tokens: number
  private last: number

  constructor(
    private readonly burst: number,
    private readonly refillPerSecond: number,
    now: number,
  ) {
    this.tokens = burst
    this.last = now
  }

  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last) / 1000
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.refillPerSecond)
    this.last = now
    if (this.tokens >= 1) {
      this.tokens -= 1
      return true
    }

    return false
  }
}

/**
 * One token bucket per category, refilled on the simulated clock so a time scale speeds the
 * refill too (the ratios stay AWS's). Operations outside the table are never throttled.
 */
export class Throttler {
  private buckets = new Map<string, Bucket>()

  constructor(private readonly clock: Clock) {}

  /** True when the call may proceed. */
  admit(operation: string): boolean {
    const category = categoryOf.get(operation)
    if (!category) return true
    let bucket = this.buckets.get(category)
    if (!bucket) {
      const c = THROTTLE_CATEGORIES[category]
      bucket = new Bucket(c.burst, c.refillPerSecond, this.clock.now())
      this.buckets.set(category, bucket)
    }

    return bucket.take(this.clock.now())
  }

  reset(): void {
    this.buckets.clear()
  }
}
