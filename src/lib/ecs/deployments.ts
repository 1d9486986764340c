import type {ECSClient, ServiceDeployment, ServiceDeploymentBrief, ServiceDeploymentStatus, ServiceRevision} from '@aws-sdk/client-ecs'

import {mapBatches} from './batch.js'
import type {CallOptions} from './clusters.js'

/**
 * ECS's service deployment records (kept about 90 days): one per UpdateService/CreateService,
 * with its outcome. ListServiceDeployments pages default to 20 (maximum 100), newest first.
 */
export async function listServiceDeployments(
  ecs: ECSClient,
  cluster: string,
  service: string,
  opts: CallOptions & {status?: ServiceDeploymentStatus[]; limit?: number} = {},
): Promise<ServiceDeploymentBrief[]> {
  const {ListServiceDeploymentsCommand} = await import('@aws-sdk/client-ecs')
  const all: ServiceDeploymentBrief[] = []
  let nextToken: string | undefined
  // collectPages would read every page; a limit lets callers stop once they have enough.
  do {
    const page = await ecs.send(new ListServiceDeploymentsCommand({cluster, maxResults: 100, nextToken, service, status: opts.status}), opts)
    all.push(...(page.serviceDeployments ?? []))
    nextToken = page.nextToken
  } while (nextToken && (opts.limit === undefined || all.length < opts.limit))
  return opts.limit === undefined ? all : all.slice(0, opts.limit)
}

/** DescribeServiceDeployments in batches of 20 (the API maximum). */
export async function describeServiceDeployments(ecs: ECSClient, arns: string[], opts: CallOptions = {}): Promise<ServiceDeployment[]> {
  const {DescribeServiceDeploymentsCommand} = await import('@aws-sdk/client-ecs')
  const pages = await mapBatches(arns, 20, 4, async (batch) => {
    const out = await ecs.send(new DescribeServiceDeploymentsCommand({serviceDeploymentArns: batch}), opts)
    return out.serviceDeployments ?? []
  })
  return pages.flat()
}

/** DescribeServiceRevisions in batches of 20: a service revision names its task definition. */
export async function describeServiceRevisions(ecs: ECSClient, arns: string[], opts: CallOptions = {}): Promise<ServiceRevision[]> {
  const {DescribeServiceRevisionsCommand} = await import('@aws-sdk/client-ecs')
  const pages = await mapBatches(arns, 20, 4, async (batch) => {
    const out = await ecs.send(new DescribeServiceRevisionsCommand({serviceRevisionArns: batch}), opts)
    return out.serviceRevisions ?? []
  })
  return pages.flat()
}

