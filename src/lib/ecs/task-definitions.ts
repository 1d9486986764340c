import type {ECSClient, TaskDefinition, TaskDefinitionFamilyStatus, TaskDefinitionStatus} from '@aws-sdk/client-ecs'

import {collectPages} from './batch.js'
import type {CallOptions} from './clusters.js'

export async function listFamilies(ecs: ECSClient, status: TaskDefinitionFamilyStatus = 'ACTIVE', opts: CallOptions = {}): Promise<string[]> {
  const {ListTaskDefinitionFamiliesCommand} = await import('@aws-sdk/client-ecs')
  return collectPages(async (nextToken) => {
    const page = await ecs.send(new ListTaskDefinitionFamiliesCommand({maxResults: 100, nextToken, status}), opts)
    return {items: page.families, nextToken: page.nextToken}
  })
}

/**
 * Revision ARNs of one family with one status (ListTaskDefinitions defaults to ACTIVE only);
 * `family` undefined lists every family's, which takes fewer calls than one family at a time.
 */
export async function listRevisionArns(
  ecs: ECSClient,
  family: string | undefined,
  status: TaskDefinitionStatus,
  opts: CallOptions & {sort?: 'ASC' | 'DESC'} = {},
): Promise<string[]> {
  const {ListTaskDefinitionsCommand} = await import('@aws-sdk/client-ecs')
  return collectPages(async (nextToken) => {
    const page = await ecs.send(
      new ListTaskDefinitionsCommand({familyPrefix: family, maxResults: 100, nextToken, sort: opts.sort ?? 'ASC', status}),
      {abortSignal: opts.abortSignal},
    )
    return {items: page.taskDefinitionArns, nextToken: page.nextToken}
  })
}

export async function describeTaskDefinition(
  ecs: ECSClient,
  taskDefinition: string,
  opts: CallOptions = {},
): Promise<{taskDefinition: TaskDefinition; tags: {key?: string; value?: string}[]}> {
  const {DescribeTaskDefinitionCommand} = await import('@aws-sdk/client-ecs')
  const out = await ecs.send(new DescribeTaskDefinitionCommand({include: ['TAGS'], taskDefinition}), opts)
  return {tags: out.tags ?? [], taskDefinition: out.taskDefinition!}
}
