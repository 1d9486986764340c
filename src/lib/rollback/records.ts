import type {Deployment, ECSClient, Service} from '@aws-sdk/client-ecs'

import {describeServiceDeployments, describeServiceRevisions, listServiceDeployments} from '../ecs/deployments.js'
import {parseTaskDefinition} from '../ecs/names.js'
import {activeRevisions} from './revisions.js'
import {nextOlderRevision} from './target.js'
import {isUnsupported} from './watch.js'

/**
 * What ECS's deployment records say about a service's past: the revision that ran before the
 * current one (--previous) and the last successful deployment (marked in the revision list).
 */

export interface TaskDefinitionRef {
  arn: string
  family: string
  revision: number
}

export interface PreviousRevision extends TaskDefinitionRef {
  /** Where the answer came from, shown in the preview. */
  basis: 'deployment-in-progress' | 'deployment-record' | 'next-older-active' | 'next-older-active-unrecorded'
}

/** The basis of a --previous answer, in words, for the preview. */
export const BASIS: Record<PreviousRevision['basis'], string> = {
  'deployment-in-progress': 'the revision still running while the current deployment rolls out',
  'deployment-record': "the revision the service ran before its current revision (ECS's deployment records)",
  'next-older-active': 'the next older ACTIVE revision (ECS keeps no record of an earlier deployment)',
  'next-older-active-unrecorded': "the next older ACTIVE revision (ECS's deployment records do not say what ran before this one)",
}

/** How many SUCCESSFUL records are read at most (newest first); one ListServiceDeployments page. */
const RECORDS = 100
/** DescribeServiceRevisions takes 20 ARNs: targets are resolved a batch at a time, newest first. */
const BATCH = 20

interface SuccessfulRecord {
  serviceDeploymentArn: string
  /** The task definition the deployment put the service on. */
  taskDefinition: string
}

/**
 * The SUCCESSFUL deployment records of a service, newest first, each with the task definition
 * it deployed. Targets are resolved 20 at a time and only as far as the caller reads, since the
 * answer is nearly always among the newest few. Undefined when ECS's records are not available
 * (an endpoint without the deployment APIs).
 */
async function successfulRecords(ecs: ECSClient, cluster: string, service: string): Promise<AsyncIterable<SuccessfulRecord> | undefined> {
  let briefs
  try {
    briefs = await listServiceDeployments(ecs, cluster, service, {limit: RECORDS, status: ['SUCCESSFUL']})
  } catch (error) {
    if (isUnsupported(error)) return undefined
    throw error
  }

  return {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < briefs.length; i += BATCH) {
        const batch = briefs.slice(i, i + BATCH).filter((b) => b.serviceDeploymentArn && b.targetServiceRevisionArn)
        const revisions = batch.length > 0 ? await describeServiceRevisions(ecs, batch.map((b) => b.targetServiceRevisionArn!)) : []
        const byArn = new Map(revisions.map((r) => [r.serviceRevisionArn, r.taskDefinition]))
        for (const b of batch) {
          const taskDefinition = byArn.get(b.targetServiceRevisionArn)
          if (taskDefinition) yield {serviceDeploymentArn: b.serviceDeploymentArn!, taskDefinition}
        }
      }
    },
  }
}

/**
 * The revision of the newest SUCCESSFUL deployment that is not on `currentArn`, from ECS's
 * deployment records; undefined when the records are not available or say nothing.
 */
export async function lastSuccessfulRevision(ecs: ECSClient, cluster: string, service: string, currentArn: string): Promise<TaskDefinitionRef | undefined> {
  try {
    const records = await successfulRecords(ecs, cluster, service)
    for await (const record of records ?? []) {
      if (!sameRef(record.taskDefinition, currentArn)) return ref(record.taskDefinition)
    }

    return undefined
  } catch (error) {
    if (isUnsupported(error)) return undefined
    throw error
  }
}

/**
 * --previous: the revision the service ran before its current deployment.
 *
 * 1. While a deployment rolls out, the old (ACTIVE) deployment still running, unless it is one
 *    that failed: during a circuit-breaker rollback the ACTIVE entry is the broken revision.
 * 2. Otherwise ECS's records: the newest SUCCESSFUL deployment that put the service on its
 *    current revision names, as its source, what ran before. Walking the successful records
 *    (not only the current one) matters after a circuit-breaker rollback: the current record
 *    is then the failed deployment, whose source is the current revision itself.
 * 3. Failing both, the next older ACTIVE revision.
 */
export async function previousRevision(ecs: ECSClient, service: Service): Promise<PreviousRevision | undefined> {
  const current = service.taskDefinition ?? ''
  const old = (service.deployments ?? [])
    .filter((d) => d.status === 'ACTIVE' && d.taskDefinition && !sameRef(d.taskDefinition, current) && !failed(d))
    .sort((a, b) => (b.runningCount ?? 0) - (a.runningCount ?? 0))[0]
  const oldRef = old?.taskDefinition ? ref(old.taskDefinition) : undefined
  if (oldRef) return {...oldRef, basis: 'deployment-in-progress'}

  const recorded = await sourceOfCurrentRevision(ecs, service.clusterArn ?? '', service.serviceName ?? service.serviceArn ?? '', current)
  if (recorded.ref) return {...recorded.ref, basis: 'deployment-record'}

  const parsed = parseTaskDefinition(current)
  if (!parsed) return undefined
  const active = await activeRevisions(ecs, parsed.family)
  const older = nextOlderRevision(parsed.revision, active.map((r) => r.revision))
  if (older === undefined) return undefined
  // "ECS keeps no record" only when it really has none; else its records just do not say.
  const basis = recorded.anyRecords ? 'next-older-active-unrecorded' : 'next-older-active'
  return {arn: active.find((r) => r.revision === older)!.arn, basis, family: parsed.family, revision: older}
}

/** A deployment that failed (circuit breaker), or one that never got a task running. */
function failed(d: Deployment): boolean {
  return d.rolloutState === 'FAILED' || ((d.runningCount ?? 0) === 0 && (d.failedTasks ?? 0) > 0)
}

/** How many records that deployed the current revision are looked into for a source. */
const SOURCE_LOOKUPS = 5

async function sourceOfCurrentRevision(
  ecs: ECSClient,
  cluster: string,
  service: string,
  current: string,
): Promise<{anyRecords: boolean; ref?: TaskDefinitionRef}> {
  let anyRecords = false
  try {
    const records = await successfulRecords(ecs, cluster, service)
    let looked = 0
    for await (const record of records ?? []) {
      anyRecords = true
      if (!sameRef(record.taskDefinition, current)) continue
      // A redeployment of the same revision (force new deployment) names only itself: look further back.
      const source = await sourceOf(ecs, record.serviceDeploymentArn, current)
      if (source) return {anyRecords, ref: source}
      if (++looked >= SOURCE_LOOKUPS) break
    }

    return {anyRecords}
  } catch (error) {
    if (isUnsupported(error)) return {anyRecords}
    throw error
  }
}

/** The source revision of one deployment record that is not `current` (the one most tasks ran). */
async function sourceOf(ecs: ECSClient, deploymentArn: string, current: string): Promise<TaskDefinitionRef | undefined> {
  const [record] = await describeServiceDeployments(ecs, [deploymentArn])
  const sources = (record?.sourceServiceRevisions ?? []).filter((s) => s.arn)
  if (sources.length === 0) return undefined
  const revisions = await describeServiceRevisions(ecs, sources.map((s) => s.arn!))
  const running = new Map(sources.map((s) => [s.arn, s.runningTaskCount ?? 0]))
  const best = revisions
    .filter((r) => r.taskDefinition && !sameRef(r.taskDefinition, current))
    .sort((a, b) => (running.get(b.serviceRevisionArn) ?? 0) - (running.get(a.serviceRevisionArn) ?? 0))[0]
  return best?.taskDefinition ? ref(best.taskDefinition) : undefined
}

function ref(arn: string): TaskDefinitionRef | undefined {
  const parsed = parseTaskDefinition(arn)
  return parsed ? {arn, ...parsed} : undefined
}

export function sameRef(a: string, b: string): boolean {
  const x = parseTaskDefinition(a)
  const y = parseTaskDefinition(b)
  return x !== undefined && y !== undefined && x.family === y.family && x.revision === y.revision
}
