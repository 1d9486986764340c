import type {ECSClient, Service, TaskDefinition} from '@aws-sdk/client-ecs'
import pLimit from 'p-limit'

import {describeServiceDeployments, describeServiceRevisions, listServiceDeployments} from '../ecs/deployments.js'
import {parseTaskDefinition} from '../ecs/names.js'
import {describeTaskDefinition, listRevisionArns} from '../ecs/task-definitions.js'
import {isUnsupported} from './watch.js'

export interface Candidate {
  revision: number
  arn: string
  registeredAt?: Date
  /** Newer than the revision the service runs (rolling "back" to it is really forward). */
  newer: boolean
  /** The revision of the last successful deployment before the current one (ECS records). */
  lastSuccessful: boolean
}

/**
 * Registration dates are read for this many of the newest revisions (older ones are listed
 * without): DescribeTaskDefinition is one call per revision, and 40 stays inside the burst of
 * 50 that ECS allows task definition reads, so the list appears without throttling.
 */
export const DETAILED_REVISIONS = 40

/** The ACTIVE revision numbers of a family, newest first (every page). */
export async function activeRevisions(ecs: ECSClient, family: string): Promise<{arn: string; revision: number}[]> {
  const arns = await listRevisionArns(ecs, family, 'ACTIVE', {sort: 'DESC'})
  return arns.flatMap((arn) => {
    const parsed = parseTaskDefinition(arn)
    return parsed ? [{arn, revision: parsed.revision}] : []
  })
}

/**
 * Every ACTIVE revision except the current one, newest first, with registration times for the
 * newest DETAILED_REVISIONS (DescribeTaskDefinition is one call per revision, so a family of 600
 * would otherwise cost 600 calls before the list appears).
 */
export async function candidates(
  ecs: ECSClient,
  family: string,
  current: number,
  lastSuccessful?: number,
): Promise<Candidate[]> {
  const active = (await activeRevisions(ecs, family)).filter((r) => r.revision !== current)
  const limit = pLimit(8)
  const dates = await Promise.all(
    active.slice(0, DETAILED_REVISIONS).map((r) =>
      limit(async () => (await describeTaskDefinition(ecs, r.arn).catch(() => undefined))?.taskDefinition.registeredAt),
    ),
  )
  return active.map((r, i) => ({
    arn: r.arn,
    lastSuccessful: r.revision === lastSuccessful,
    newer: r.revision > current,
    registeredAt: dates[i],
    revision: r.revision,
  }))
}

/**
 * The revision of the newest SUCCESSFUL deployment that is not on `currentArn`, from ECS's
 * deployment records; undefined when the records are not available or say nothing.
 */
export async function lastSuccessfulRevision(ecs: ECSClient, cluster: string, service: string, currentArn: string): Promise<TaskDefinitionRef | undefined> {
  try {
    const records = await listServiceDeployments(ecs, cluster, service, {limit: 20, status: ['SUCCESSFUL']})
    const revisionArns = [...new Set(records.map((r) => r.targetServiceRevisionArn).filter((a): a is string => Boolean(a)))]
    if (revisionArns.length === 0) return undefined
    const revisions = await describeServiceRevisions(ecs, revisionArns)
    const byArn = new Map(revisions.map((r) => [r.serviceRevisionArn, r.taskDefinition]))
    for (const record of records) {
      const td = byArn.get(record.targetServiceRevisionArn)
      const parsed = td ? parseTaskDefinition(td) : undefined
      if (td && parsed && !sameRef(td, currentArn)) return {arn: td, ...parsed}
    }

    return undefined
  } catch (error) {
    if (isUnsupported(error)) return undefined
    throw error
  }
}

export interface TaskDefinitionRef {
  arn: string
  family: string
  revision: number
}

export interface PreviousRevision extends TaskDefinitionRef {
  /** Where the answer came from, shown in the preview. */
  basis: 'deployment-in-progress' | 'deployment-record' | 'next-older-active'
}

/**
 * --previous: the revision the service ran before its current deployment. While a deployment
 * is still rolling out that is the ACTIVE (old) deployment; otherwise ECS's record of the
 * current deployment names its source revisions; failing both, the next older ACTIVE revision.
 */
export async function previousRevision(ecs: ECSClient, service: Service): Promise<PreviousRevision | undefined> {
  const current = service.taskDefinition ?? ''
  const old = (service.deployments ?? [])
    .filter((d) => d.status === 'ACTIVE' && d.taskDefinition && !sameRef(d.taskDefinition, current))
    .sort((a, b) => (b.runningCount ?? 0) - (a.runningCount ?? 0))[0]
  const oldParsed = old?.taskDefinition ? parseTaskDefinition(old.taskDefinition) : undefined
  if (old?.taskDefinition && oldParsed) return {arn: old.taskDefinition, basis: 'deployment-in-progress', ...oldParsed}

  const fromRecord = await sourceOfCurrentDeployment(ecs, service.currentServiceDeployment, current)
  if (fromRecord) return {...fromRecord, basis: 'deployment-record'}

  const parsed = parseTaskDefinition(current)
  if (!parsed) return undefined
  const active = await activeRevisions(ecs, parsed.family)
  const older = active.filter((r) => r.revision < parsed.revision).sort((a, b) => b.revision - a.revision)[0]
  return older ? {arn: older.arn, basis: 'next-older-active', family: parsed.family, revision: older.revision} : undefined
}

async function sourceOfCurrentDeployment(ecs: ECSClient, deploymentArn: string | undefined, current: string): Promise<TaskDefinitionRef | undefined> {
  if (!deploymentArn) return undefined
  try {
    const [record] = await describeServiceDeployments(ecs, [deploymentArn])
    const sources = (record?.sourceServiceRevisions ?? []).filter((s) => s.arn)
    if (sources.length === 0) return undefined
    const revisions = await describeServiceRevisions(ecs, sources.map((s) => s.arn!))
    const running = new Map(sources.map((s) => [s.arn, s.runningTaskCount ?? 0]))
    const best = revisions
      .filter((r) => r.taskDefinition && !sameRef(r.taskDefinition, current))
      .sort((a, b) => (running.get(b.serviceRevisionArn) ?? 0) - (running.get(a.serviceRevisionArn) ?? 0))[0]
    const parsed = best?.taskDefinition ? parseTaskDefinition(best.taskDefinition) : undefined
    return best?.taskDefinition && parsed ? {arn: best.taskDefinition, ...parsed} : undefined
  } catch (error) {
    if (isUnsupported(error)) return undefined
    throw error
  }
}

function sameRef(a: string, b: string): boolean {
  const x = parseTaskDefinition(a)
  const y = parseTaskDefinition(b)
  return x !== undefined && y !== undefined && x.family === y.family && x.revision === y.revision
}

/** DescribeTaskDefinition, or undefined when the revision does not exist (ECS says ClientException). */
export async function findTaskDefinition(ecs: ECSClient, ref: string): Promise<TaskDefinition | undefined> {
  try {
    return (await describeTaskDefinition(ecs, ref)).taskDefinition
  } catch (error) {
    const e = error as Error
    if (e.name === 'ClientException' || e.name === 'InvalidParameterException' || /unable to describe|not found|does not exist/i.test(e.message)) {
      return undefined
    }

    throw error
  }
}
