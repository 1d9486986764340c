import type {ECSClient, TaskDefinition} from '@aws-sdk/client-ecs'

import {parseTaskDefinition} from '../ecs/names.js'
import {describeTaskDefinition, listRevisionArns} from '../ecs/task-definitions.js'

export interface Candidate {
  revision: number
  arn: string
  /** Newer than the revision the service runs (rolling "back" to it is really forward). */
  newer: boolean
  /** The revision of the last successful deployment before the current one (ECS records). */
  lastSuccessful: boolean
}

/** The ACTIVE revision numbers of a family, newest first (every page). */
export async function activeRevisions(ecs: ECSClient, family: string): Promise<{arn: string; revision: number}[]> {
  const arns = await listRevisionArns(ecs, family, 'ACTIVE', {sort: 'DESC'})
  return arns.flatMap((arn) => {
    const parsed = parseTaskDefinition(arn)
    return parsed ? [{arn, revision: parsed.revision}] : []
  })
}

/**
 * Every ACTIVE revision except the current one, newest first, marked. Registration dates need
 * one DescribeTaskDefinition per revision, so they are loaded separately (revision-dates.ts),
 * while the list is shown.
 */
export function candidatesOf(active: readonly {arn: string; revision: number}[], current: number, lastSuccessful?: number): Candidate[] {
  return active
    .filter((r) => r.revision !== current)
    .sort((a, b) => b.revision - a.revision)
    .map((r) => ({arn: r.arn, lastSuccessful: r.revision === lastSuccessful, newer: r.revision > current, revision: r.revision}))
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
