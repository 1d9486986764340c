import type {ECSClient, Task} from '@aws-sdk/client-ecs'

import {EXIT, ExplainedError} from '../aws/errors.js'
import {inCluster, unknownService} from '../ecs/lookup.js'
import {shortName, taskId} from '../ecs/names.js'
import {describeServices} from '../ecs/services.js'
import {describeTasks, listTaskArns} from '../ecs/tasks.js'
import {closeMatches, orList} from '../text/similar.js'
import {loadRunningTasks} from './load.js'
import {isFullTaskId, isTaskArn, matchTask} from './pick.js'

/** The cluster named in a task ARN of the long format (`.../task/CLUSTER/ID`). */
export function clusterFromTaskArn(ref: string): string | undefined {
  if (!isTaskArn(ref)) return undefined
  const parts = ref.slice(ref.indexOf(':task/') + ':task/'.length).split('/')
  return parts.length === 2 ? parts[0] : undefined
}

/**
 * The task `ref` (id, ARN or unique id prefix) names in a cluster. A full id or ARN costs one
 * DescribeTasks (and finds stopped tasks too, which preflight then explains); a prefix is
 * matched against the running tasks' ids. Several matches: the error lists them.
 */
export async function findTask(ecs: ECSClient, cluster: string, ref: string): Promise<Task> {
  return inCluster(ecs, cluster, async () => {
    if (isTaskArn(ref) || isFullTaskId(ref)) {
      const [task] = await describeTasks(ecs, cluster, [ref])
      if (task) return task
    }

    // An ARN by its id, both for the match and for close names (its prefix, the same for every
    // task, would drown the id).
    const wanted = isTaskArn(ref) ? taskId(ref) : ref
    const arns = await listTaskArns(ecs, cluster, {desiredStatus: 'RUNNING'})
    const match = matchTask(wanted, arns)
    if (match.kind === 'one') {
      const [task] = await describeTasks(ecs, cluster, [match.arn])
      if (task) return task
    }

    if (match.kind === 'many') {
      const shown = match.arns.slice(0, 10).map((arn) => taskId(arn))
      throw new ExplainedError({
        exit: EXIT.USAGE,
        message: `"${ref}" matches ${match.arns.length} running tasks in ${shortName(cluster)}: ${shown.join(', ')}${match.arns.length > shown.length ? ', …' : ''}`,
        suggestions: ['Pass more of the task id (or the full id or ARN) with --task.'],
      })
    }

    const ids = arns.map((arn) => taskId(arn))
    const close = closeMatches(wanted, ids, 5)
    throw new ExplainedError({
      // A name given by a flag that names nothing is a usage error, like an unknown container.
      exit: EXIT.USAGE,
      message: `No task "${ref}" in cluster ${shortName(cluster)} (${arns.length} running).`,
      suggestions: [close.length > 0 ? `Did you mean ${orList(close)}?` : runningIdsHint(cluster, ids)],
    })
  })
}

/** How many running tasks are shown by id when none is close to what was asked for. */
const SHOWN_IDS = 5

/** A few running task ids (short, as the task list shows them; each works as --task), and how many more. */
export function runningIdsHint(cluster: string, ids: readonly string[]): string {
  const name = shortName(cluster)
  if (ids.length === 0) return `Cluster ${name} has no running tasks; start one, or pick another cluster with --cluster.`
  const shown = [...ids].sort().slice(0, SHOWN_IDS).map((id) => id.slice(0, 8))
  const more = ids.length - shown.length
  return `Running tasks: ${shown.join(', ')}${more > 0 ? ` and ${more} more (pick from all of them: taskonaut exec --cluster ${name})` : ''}.`
}

/** The running tasks of a service; an unknown service fails with close names. */
export async function serviceTasks(ecs: ECSClient, cluster: string, service: string): Promise<Task[]> {
  return inCluster(ecs, cluster, async () => {
    let tasks: Task[] = []
    let missing = false
    try {
      tasks = await loadRunningTasks(ecs, cluster, {serviceName: shortName(service)})
    } catch (error: any) {
      if (error?.name !== 'ServiceNotFoundException') throw error
      missing = true
    }

    if (tasks.length > 0) return tasks
    if (!missing) missing = (await describeServices(ecs, cluster, [service])).length === 0
    if (missing) throw new ExplainedError(await unknownService(ecs, cluster, service))

    throw new ExplainedError({
      exit: EXIT.FAILURE,
      message: `Service ${shortName(service)} has no running tasks in cluster ${shortName(cluster)}.`,
      suggestions: [`See its events: aws ecs describe-services --cluster ${shortName(cluster)} --services ${shortName(service)}`],
    })
  })
}
