import type {ECSClient, Service} from '@aws-sdk/client-ecs'

import {collectPages, mapBatches} from './batch.js'
import type {CallOptions} from './clusters.js'

export async function listServiceArns(ecs: ECSClient, cluster: string, opts: CallOptions = {}): Promise<string[]> {
  const {ListServicesCommand} = await import('@aws-sdk/client-ecs')
  return collectPages(async (nextToken) => {
    // ListServices pages default to 10: ask for the maximum and follow every token.
    const page = await ecs.send(new ListServicesCommand({cluster, maxResults: 100, nextToken}), opts)
    return {items: page.serviceArns, nextToken: page.nextToken}
  })
}

/** DescribeServices in batches of 10 (the API maximum), a few batches at a time. */
export async function describeServices(ecs: ECSClient, cluster: string, services: string[], opts: CallOptions = {}): Promise<Service[]> {
  const {DescribeServicesCommand} = await import('@aws-sdk/client-ecs')
  const pages = await mapBatches(services, 10, 5, async (batch) => {
    const out = await ecs.send(new DescribeServicesCommand({cluster, services: batch}), opts)
    return out.services ?? []
  })
  return pages.flat()
}
