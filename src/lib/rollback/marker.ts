import type {ECSClient} from '@aws-sdk/client-ecs'

/**
 * How `rollback history` knows which deployments taskonaut made.
 *
 * ECS keeps no free text with a deployment: UpdateService has no reason or description field,
 * a deployment's `startedBy` cannot be set (only RunTask/StartTask take one), and deployment
 * records cannot be tagged. The one writable place tied to the service is a tag on the
 * service itself, so after UpdateService succeeds taskonaut adds the new deployment's id to
 * the tag `taskonaut:rollbacks` (ids newest first, separated by spaces, trimmed to the 256
 * characters a tag value may hold, so roughly the last ten rollbacks are remembered).
 *
 * Honest limits: the mark is written after the deployment starts and needs ecs:TagResource
 * (when it cannot be written the rollback still stands and a warning says so); anyone can edit
 * the tag; and older rollbacks fall out of it.
 */
export const MARK_TAG = 'taskonaut:rollbacks'
const MAX_VALUE = 256

/** The short id stored for a deployment: the last part of its ARN, or its `ecs-svc/…` id. */
export function markKey(deploymentArnOrId: string): string {
  return deploymentArnOrId.startsWith('arn:') ? deploymentArnOrId.slice(deploymentArnOrId.lastIndexOf('/') + 1) : deploymentArnOrId
}

/** Adds `key` in front, drops duplicates, and drops the oldest ids until the value fits. */
export function addMark(current: string | undefined, key: string): string {
  const keys = [key, ...readMarks(current)].filter((k, i, all) => all.indexOf(k) === i)
  while (keys.length > 1 && keys.join(' ').length > MAX_VALUE) keys.pop()
  return keys.join(' ')
}

export function readMarks(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter(Boolean)
}

/** Whether a deployment (by record ARN or `ecs-svc/…` id) carries taskonaut's mark. */
export function isMarked(marks: readonly string[], ...ids: (string | undefined)[]): boolean {
  return ids.some((id) => id !== undefined && marks.includes(markKey(id)))
}

export async function readServiceMarks(ecs: ECSClient, serviceArn: string): Promise<string[]> {
  const {ListTagsForResourceCommand} = await import('@aws-sdk/client-ecs')
  const out = await ecs.send(new ListTagsForResourceCommand({resourceArn: serviceArn}))
  return readMarks(out.tags?.find((t) => t.key === MARK_TAG)?.value)
}

export async function markServiceDeployment(ecs: ECSClient, serviceArn: string, deploymentArnOrId: string): Promise<void> {
  const {TagResourceCommand} = await import('@aws-sdk/client-ecs')
  const marks = await readServiceMarks(ecs, serviceArn)
  const value = addMark(marks.join(' '), markKey(deploymentArnOrId))
  await ecs.send(new TagResourceCommand({resourceArn: serviceArn, tags: [{key: MARK_TAG, value}]}))
}
