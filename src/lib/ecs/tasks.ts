import type {DesiredStatus, ECSClient, Task} from '@aws-sdk/client-ecs'

import {collectPages, mapBatches} from './batch.js'
import type {CallOptions} from './clusters.js'

export interface TaskFilter {
  desiredStatus?: DesiredStatus
  family?: string
  serviceName?: string
}

export async function listTaskArns(ecs: ECSClient, cluster: string, filter: TaskFilter = {}, opts: CallOptions = {}): Promise<string[]> {
  const {ListTasksCommand} = await import('@aws-sdk/client-ecs')
  return collectPages(async (nextToken) => {
    const page = await ecs.send(new ListTasksCommand({cluster, maxResults: 100, nextToken, ...filter}), opts)
    return {items: page.taskArns, nextToken: page.nextToken}
  })
}

/** DescribeTasks in batches of 100 (the API maximum), run concurrently under a limit. */
export async function describeTasks(ecs: ECSClient, cluster: string, tasks: string[], opts: CallOptions = {}): Promise<Task[]> {
  const {DescribeTasksCommand} = await import('@aws-sdk/client-ecs')
  const pages = await mapBatches(tasks, 100, 8, async (batch) => {
    const out = await ecs.send(new DescribeTasksCommand({cluster, tasks: batch}), opts)
    return out.tasks ?? []
  })
  return pages.flat()
}
