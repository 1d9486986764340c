import type {Container, Task} from '@aws-sdk/client-ecs'

import {taskId} from '../ecs/names.js'

export type TaskMatch = {kind: 'one'; arn: string} | {kind: 'many'; arns: string[]} | {kind: 'none'}

/** A full task ARN, which DescribeTasks takes as is. */
export function isTaskArn(ref: string): boolean {
  return /^arn:aws[\w-]*:ecs:[^:]*:\d*:task\//.test(ref)
}

/** A complete task id (32 hex digits, or a UUID for tasks in the old ARN format). */
export function isFullTaskId(ref: string): boolean {
  return /^[\da-f]{32}$/.test(ref) || /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/.test(ref)
}

/**
 * Finds the task `ref` names among task ARNs: an ARN or id matches exactly; otherwise `ref`
 * is a prefix of the id, and several matches are returned as candidates.
 */
export function matchTask(ref: string, arns: readonly string[]): TaskMatch {
  const wanted = ref.trim().toLowerCase()
  const exact = arns.find((arn) => arn.toLowerCase() === wanted || taskId(arn).toLowerCase() === wanted)
  if (exact) return {arn: exact, kind: 'one'}
  const prefixed = arns.filter((arn) => taskId(arn).toLowerCase().startsWith(wanted))
  if (prefixed.length === 1) return {arn: prefixed[0], kind: 'one'}
  if (prefixed.length > 1) return {arns: prefixed, kind: 'many'}
  return {kind: 'none'}
}

function startedMs(task: Task): number {
  const at = task.startedAt ?? task.createdAt
  return at ? new Date(at).getTime() : 0
}

/** The most recently started task (for --service without prompting). */
export function newestTask(tasks: readonly Task[]): Task | undefined {
  let best: Task | undefined
  for (const t of tasks) if (!best || startedMs(t) > startedMs(best)) best = t
  return best
}

/** Tasks for a list: grouped by service or group, newest first within a group. */
export function sortTasks(tasks: readonly Task[]): Task[] {
  return [...tasks].sort((a, b) => (a.group ?? '').localeCompare(b.group ?? '') || startedMs(b) - startedMs(a) || (a.taskArn ?? '').localeCompare(b.taskArn ?? ''))
}

export type ContainerPick = {kind: 'one'; container: Container} | {kind: 'ask'; containers: Container[]} | {kind: 'unknown'; names: string[]} | {kind: 'none'}

/**
 * The container to exec into: the one named, the only one, or a choice to make. Sidecars the
 * exec agent does not run in still count: preflight explains why they cannot be used.
 */
export function pickContainer(task: Task, wanted?: string): ContainerPick {
  const containers = task.containers ?? []
  if (containers.length === 0) return {kind: 'none'}
  if (wanted !== undefined) {
    const found = containers.find((c) => c.name === wanted)
    return found ? {container: found, kind: 'one'} : {kind: 'unknown', names: containers.map((c) => c.name ?? '')}
  }

  if (containers.length === 1) return {container: containers[0], kind: 'one'}
  return {containers, kind: 'ask'}
}
