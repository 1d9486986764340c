import type {Cluster, ECSClient, Task} from '@aws-sdk/client-ecs'
import pLimit from 'p-limit'

import {describeClusters, listClusterArns} from '../ecs/clusters.js'

export interface LoadOptions {
  abortSignal?: AbortSignal
  /** DescribeTasks batches in flight at once. */
  concurrency?: number
  /** Called as tasks arrive (loaded so far). */
  onProgress?: (loaded: number) => void
}

/** Every cluster with its counts (ListClusters pages, then DescribeClusters by 100). */
export async function loadClusters(ecs: ECSClient, opts: LoadOptions = {}): Promise<Cluster[]> {
  const arns = await listClusterArns(ecs, opts)
  return arns.length === 0 ? [] : describeClusters(ecs, arns, opts)
}

/**
 * The running tasks of a cluster, described. ListTasks pages must be read one after another
 * (each gives the next token), so each page's DescribeTasks batch of 100 starts as soon as
 * the page arrives, and the batches run while the remaining pages are read: the time is about
 * that of the ListTasks chain, not the sum of both.
 */
export async function loadRunningTasks(ecs: ECSClient, cluster: string, filter: {serviceName?: string} = {}, opts: LoadOptions = {}): Promise<Task[]> {
  const {DescribeTasksCommand, ListTasksCommand} = await import('@aws-sdk/client-ecs')
  const limit = pLimit(opts.concurrency ?? 8)
  const batches: Promise<Task[]>[] = []
  let loaded = 0
  let nextToken: string | undefined
  do {
    const page = await ecs.send(new ListTasksCommand({cluster, desiredStatus: 'RUNNING', maxResults: 100, nextToken, ...filter}), {abortSignal: opts.abortSignal})
    const arns = page.taskArns ?? []
    if (arns.length > 0) {
      const batch = limit(async () => {
        const out = await ecs.send(new DescribeTasksCommand({cluster, tasks: arns}), {abortSignal: opts.abortSignal})
        loaded += out.tasks?.length ?? 0
        opts.onProgress?.(loaded)
        return out.tasks ?? []
      })
      // A failure surfaces from Promise.all below; this keeps it from being reported as unhandled meanwhile.
      batch.catch(() => {})
      batches.push(batch)
    }

    nextToken = page.nextToken
  } while (nextToken)

  return (await Promise.all(batches)).flat()
}
