import type {ECSClient, TaskDefinition} from '@aws-sdk/client-ecs'
import pLimit from 'p-limit'

import {parseTaskDefinition} from '../ecs/names.js'
import {describeTaskDefinition, listRevisionArns} from '../ecs/task-definitions.js'

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
