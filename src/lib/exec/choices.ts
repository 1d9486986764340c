import type {Cluster, Container, Task} from '@aws-sdk/client-ecs'

import {familyRevision, shortName, taskId} from '../ecs/names.js'
import type {Choice} from '../ui/prompts.js'
import {execAgent} from './preflight.js'

/** "3m ago", "5h ago", "2d ago": short enough for a list row. */
export function ago(date: Date | string | undefined, now: number = Date.now()): string {
  if (!date) return 'not started'
  const s = Math.max(0, Math.round((now - new Date(date).getTime()) / 1000))
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.floor(s / 60)}m ago`
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`
  return `${Math.floor(s / 86_400)}d ago`
}

/** Clusters with running tasks first, then by name. */
export function sortClusters(clusters: readonly Cluster[]): Cluster[] {
  return [...clusters].sort((a, b) => Number((b.runningTasksCount ?? 0) > 0) - Number((a.runningTasksCount ?? 0) > 0) || (a.clusterName ?? '').localeCompare(b.clusterName ?? ''))
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

export function clusterChoice(cluster: Cluster): Choice<string> {
  const name = cluster.clusterName ?? shortName(cluster.clusterArn ?? '?')
  const counts = `${plural(cluster.activeServicesCount ?? 0, 'service')}, ${cluster.runningTasksCount ?? 0} running`
  return {name: `${name}  (${counts})`, value: cluster.clusterArn ?? name}
}

/** family:revision, short id, service or group, status, started. */
export function taskChoice(task: Task, now?: number): Choice<string> {
  const id = taskId(task.taskArn ?? '?')
  const parts = [familyRevision(task.taskDefinitionArn ?? '?'), id.slice(0, 8), task.group ?? '-', task.lastStatus ?? '?', ago(task.startedAt, now)]
  return {description: id, name: parts.join('  '), value: task.taskArn ?? id}
}

export function containerChoice(container: Container): Choice<string> {
  const agent = execAgent(container)
  const name = container.name ?? '?'
  return {name: `${name}  ${container.lastStatus ?? '?'}  exec agent ${agent?.lastStatus ?? 'absent'}`, value: name}
}
