import {setMaxListeners} from 'node:events'

import type {ECSClient, Service, Task} from '@aws-sdk/client-ecs'
import type {EventBridgeClient} from '@aws-sdk/client-eventbridge'
import pLimit from 'p-limit'

import {listClusterArns} from '../ecs/clusters.js'
import {parseTaskDefinition, shortName, taskId} from '../ecs/names.js'
import {listEcsRuleTargets} from '../ecs/rules.js'
import {describeServices, listServiceArns} from '../ecs/services.js'
import {describeTasks, listTaskArns} from '../ecs/tasks.js'
import {ref, type Usage} from './plan.js'

/**
 * Which clusters to look in for services and tasks: every cluster of the region, the named ones,
 * or none (risky). EventBridge rule targets are read whatever the scope (see `rules`).
 */
export type UsageScope = {kind: 'all'} | {kind: 'clusters'; clusters: string[]} | {kind: 'none'}

export interface UsageScanOptions {
  scope: UsageScope
  /** Only references to these families are kept (memory stays flat however large the account). */
  families?: ReadonlySet<string>
  /** Read EventBridge rule targets too (default true, also with scope none: the clusters and the rules are separate questions). */
  rules?: boolean
  signal?: AbortSignal
}

/** A usage source that could not be read (AccessDenied): the plan cannot be trusted without it. */
export interface Unreadable {
  source: string
  message: string
}

export interface UsageScan {
  usage: Usage
  /** One entry per source that could not be read (never two for one source). */
  unreadable: Unreadable[]
  stats: {clusters: number; services: number; tasks: number; ruleTargets: number}
}

/** At most this many places are remembered per revision: enough to explain, bounded in memory. */
const MAX_PLACES = 3

export function isAccessDenied(error: unknown): boolean {
  const e = error as {name?: string; message?: string}
  return ['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation'].includes(e?.name ?? '') || /not authorized to perform/i.test(e?.message ?? '')
}

class UsageCollector {
  readonly revisions = new Map<string, string[]>()
  readonly familyLatest = new Map<string, string[]>()

  constructor(private readonly families?: ReadonlySet<string>) {}

  add(taskDefinition: string | undefined, place: string): void {
    if (!taskDefinition) return
    const parsed = parseTaskDefinition(taskDefinition)
    const family = parsed?.family ?? shortName(taskDefinition)
    if (this.families && !this.families.has(family)) return
    const map = parsed ? this.revisions : this.familyLatest
    const key = parsed ? ref(parsed.family, parsed.revision) : family
    const places = map.get(key)
    if (!places) map.set(key, [place])
    else if (places.length < MAX_PLACES && !places.includes(place)) places.push(place)
  }

  usage(): Usage {
    return {familyLatest: this.familyLatest, revisions: this.revisions}
  }
}

function recordService(c: UsageCollector, cluster: string, s: Service): void {
  const where = `service ${cluster}/${s.serviceName}`
  // Every deployment counts, not only the current one: ACTIVE deployments still run old tasks.
  for (const d of s.deployments ?? []) c.add(d.taskDefinition, `${where} (${d.status ?? 'deployment'})`)
  // The service's own definition (already named by its PRIMARY deployment when it has one).
  if (!s.deployments?.some((d) => d.taskDefinition === s.taskDefinition)) c.add(s.taskDefinition, where)
  for (const ts of s.taskSets ?? []) c.add(ts.taskDefinition, `${where} (task set ${ts.id ?? ''})`)
}

function recordTask(c: UsageCollector, cluster: string, t: Task): void {
  if (t.desiredStatus === 'STOPPED' && t.lastStatus === 'STOPPED') return
  c.add(t.taskDefinitionArn, `task ${cluster}/${taskId(t.taskArn ?? '')}${t.group ? ` (${t.group})` : ''}`)
}

/**
 * What uses task definitions: every deployment and task set of every service, every task not
 * yet STOPPED (desired RUNNING, or desired STOPPED but still stopping), in every cluster of
 * the scope (all pages), and EventBridge rule targets. A source that answers AccessDenied is
 * reported in `unreadable` (the caller decides whether to stop); other errors are thrown.
 */
export async function scanUsage(ecs: ECSClient, events: () => Promise<EventBridgeClient>, opts: UsageScanOptions): Promise<UsageScan> {
  // A read that fails ends the whole scan: nothing more starts, reads in flight are aborted,
  // and the scan settles before it rejects, so no call outlives it (seen: the reads of other
  // clusters went on after the scan had failed). The caller's signal stops it the same way.
  const stop = new AbortController()
  // Every read in flight listens on it, as on prune's own controller: no listener cap.
  setMaxListeners(0, stop.signal)
  const forward = () => stop.abort(opts.signal?.reason)
  opts.signal?.addEventListener('abort', forward, {once: true})
  if (opts.signal?.aborted) forward()
  try {
    return await scanUntilStopped(ecs, events, opts, stop)
  } finally {
    opts.signal?.removeEventListener('abort', forward)
  }
}

async function scanUntilStopped(ecs: ECSClient, events: () => Promise<EventBridgeClient>, opts: UsageScanOptions, stop: AbortController): Promise<UsageScan> {
  const collector = new UsageCollector(opts.families)
  const unreadable: Unreadable[] = []
  const stats = {clusters: 0, ruleTargets: 0, services: 0, tasks: 0}
  const call = {abortSignal: stop.signal}
  let failure: {error: unknown} | undefined
  const unlessStopped = async (scan: () => Promise<void>) => {
    if (stop.signal.aborted) return
    try {
      await scan()
    } catch (error) {
      failure ??= {error}
      stop.abort()
    }
  }
  const guard = async <T>(source: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read()
    } catch (error) {
      if (!isAccessDenied(error)) throw error
      // Once per source: a cluster's tasks are read in two passes (RUNNING, STOPPED).
      if (!unreadable.some((u) => u.source === source)) unreadable.push({message: (error as Error).message, source})
      return undefined
    }
  }

  const ruleScan = async () => {
    if (opts.rules === false) return
    const targets = await guard('EventBridge rule targets', async () => listEcsRuleTargets(await events(), call))
    for (const t of targets ?? []) collector.add(t.taskDefinitionArn, `rule ${t.eventBus}/${t.rule} (target ${t.targetId})`)
    stats.ruleTargets = targets?.length ?? 0
  }

  if (opts.scope.kind === 'none') {
    await ruleScan()
    stop.signal.throwIfAborted()
    return {stats, unreadable, usage: collector.usage()}
  }

  const clusters =
    opts.scope.kind === 'all' ? ((await guard('ListClusters', () => listClusterArns(ecs, call))) ?? []) : opts.scope.clusters
  stats.clusters = clusters.length
  // One family to look for: ListTasks can filter by it, so only its tasks are described.
  const family = opts.families?.size === 1 ? [...opts.families][0] : undefined
  // Several clusters at once: each one's reads are sequential, and the buckets set the pace.
  const limit = pLimit(8)
  const scanCluster = async (cluster: string) => {
    const name = shortName(cluster)
    const services = await guard(`services of cluster ${name}`, async () => {
      const arns = await listServiceArns(ecs, cluster, call)
      return describeServices(ecs, cluster, arns, call)
    })
    for (const s of services ?? []) recordService(collector, name, s)
    stats.services += services?.length ?? 0
    for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
      const tasks = await guard(`tasks of cluster ${name}`, async () => {
        const arns = await listTaskArns(ecs, cluster, family ? {desiredStatus, family} : {desiredStatus}, call)
        return describeTasks(ecs, cluster, arns, call)
      })
      for (const t of tasks ?? []) recordTask(collector, name, t)
      stats.tasks += tasks?.filter((t) => t.lastStatus !== 'STOPPED').length ?? 0
    }
  }

  await Promise.all([unlessStopped(ruleScan), ...clusters.map((cluster) => limit(() => unlessStopped(() => scanCluster(cluster))))])
  if (failure) throw failure.error
  // Stopped by the caller: what was read is not all there is, so it is no answer.
  stop.signal.throwIfAborted()
  return {stats, unreadable, usage: collector.usage()}
}
