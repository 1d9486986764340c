import type {Cluster, ECSClient} from '@aws-sdk/client-ecs'

import {collectPages, mapBatches} from './batch.js'

export interface CallOptions {
  abortSignal?: AbortSignal
}

export async function listClusterArns(ecs: ECSClient, opts: CallOptions = {}): Promise<string[]> {
  const {ListClustersCommand} = await import('@aws-sdk/client-ecs')
  return collectPages(async (nextToken) => {
    const page = await ecs.send(new ListClustersCommand({maxResults: 100, nextToken}), opts)
    return {items: page.clusterArns, nextToken: page.nextToken}
  })
}

/** DescribeClusters in batches of 100 (the API maximum); unknown names are left out. */
export async function describeClusters(ecs: ECSClient, clusters: string[], opts: CallOptions = {}): Promise<Cluster[]> {
  const {DescribeClustersCommand} = await import('@aws-sdk/client-ecs')
  const pages = await mapBatches(clusters, 100, 4, async (batch) => {
    const out = await ecs.send(new DescribeClustersCommand({clusters: batch}), opts)
    return out.clusters ?? []
  })
  return pages.flat()
}
