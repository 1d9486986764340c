import type {Cluster, Task} from '@aws-sdk/client-ecs'

import {BACK} from '../ui/prompts.js'
import {pickContainer} from './pick.js'

/** Where the interactive exec flow stands. */
export type NavStep =
  | {at: 'cluster'}
  | {at: 'task'; cluster: string}
  | {at: 'container'; cluster: string; task: Task}
  | {at: 'done'; cluster: string; task: Task; container: string}
  | {at: 'leave'}

/** Values given as flags: those steps are never asked, and "Back" never leads to them. */
export interface NavFixed {
  cluster?: string
  container?: string
}

/** The questions and the data, so the walk is tested with scripted answers and counted fetches. */
export interface NavigatorIO {
  clusters(): Promise<Cluster[]>
  tasks(cluster: string): Promise<Task[]>
  askCluster(clusters: Cluster[]): Promise<string>
  askTask(cluster: string, tasks: Task[], canGoBack: boolean): Promise<string | typeof BACK>
  askContainer(task: Task, canGoBack: boolean): Promise<string | typeof BACK>
  /** The cluster has no running tasks: go back, or leave. */
  askEmpty(cluster: string, canGoBack: boolean): Promise<'back' | 'leave'>
}

/** The step "← Back" returns to, or undefined when there is none to offer. */
export function previousStep(step: NavStep, fixed: NavFixed): NavStep | undefined {
  if (step.at === 'task') return fixed.cluster ? undefined : {at: 'cluster'}
  if (step.at === 'container') return {at: 'task', cluster: step.cluster}
  return undefined
}

/**
 * Walks cluster → task → container. Lists are fetched once and reused when the user comes
 * back to them (a cluster's tasks stay valid while its containers are shown); a single
 * container is picked without asking.
 */
export async function navigate(io: NavigatorIO, fixed: NavFixed = {}): Promise<Extract<NavStep, {at: 'done'}> | undefined> {
  let clusters: Promise<Cluster[]> | undefined
  const tasks = new Map<string, Promise<Task[]>>()
  let step = (fixed.cluster ? {at: 'task', cluster: fixed.cluster} : {at: 'cluster'}) as NavStep

  for (;;) {
    switch (step.at) {
      case 'cluster': {
        clusters ??= io.clusters()
        step = {at: 'task', cluster: await io.askCluster(await clusters)}
        break
      }

      case 'task': {
        const cluster: string = step.cluster
        if (!tasks.has(cluster)) tasks.set(cluster, io.tasks(cluster))

        const list = await tasks.get(cluster)!
        const back = previousStep(step, fixed)
        if (list.length === 0) {
          const choice = await io.askEmpty(cluster, Boolean(back))
          step = choice === 'back' && back ? back : {at: 'leave'}
          break
        }

        const answer = await io.askTask(cluster, list, Boolean(back))
        if (answer === BACK) {
          step = back ?? step
          break
        }

        const task = list.find((t) => t.taskArn === answer)
        if (!task) throw new Error(`internal: the chosen task ${answer} is not in the list`)
        step = {at: 'container', cluster, task}
        break
      }

      case 'container': {
        const pick = pickContainer(step.task, fixed.container)
        if (pick.kind === 'one') return {at: 'done', cluster: step.cluster, container: pick.container.name ?? '', task: step.task}
        // A --container the task lacks is the caller's to report: exec checks it against the
        // chosen task as it does without prompts (close names, exit 2).
        if (pick.kind === 'unknown' || pick.kind === 'none') return {at: 'done', cluster: step.cluster, container: fixed.container ?? '', task: step.task}
        const answer = await io.askContainer(step.task, true)
        if (answer === BACK) {
          step = previousStep(step, fixed)!
          break
        }

        return {at: 'done', cluster: step.cluster, container: answer, task: step.task}
      }

      default: {
        return undefined
      }
    }
  }
}
