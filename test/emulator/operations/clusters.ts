import {AwsError, clusterNotFound, invalidParameter} from '../errors.js'
import {page} from '../pagination.js'
import {includesTags, maxResults, optList, optObject, optString, optStringList, reqString} from '../params.js'
import {clusterNameOf} from '../state/account.js'
import type {ClusterConfiguration, Tag} from '../state/model.js'
import {describeBatch} from './batch.js'
import type {Operation} from './context.js'
import {clusterShape} from './shapes.js'

export const clusterOperations: Record<string, Operation> = {
  CreateCluster({account, now, params}) {
    const name = optString(params, 'clusterName') ?? 'default'
    if (!/^[a-zA-Z0-9_-]{1,255}$/.test(name)) {
      throw invalidParameter('Cluster name can have up to 255 characters: letters, numbers, hyphens and underscores.')
    }

    const c = account.createCluster(name, tagsIn(optList(params, 'tags')), now, optObject(params, 'configuration') as ClusterConfiguration | undefined)
    return {cluster: clusterShape(account, c, true, now)}
  },

  DeleteCluster({account, now, params}) {
    const c = account.findCluster(reqString(params, 'cluster'))
    if (!c) throw clusterNotFound()
    if ([...c.services.values()].some((s) => s.status === 'ACTIVE')) {
      throw new AwsError('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.')
    }

    c.status = 'INACTIVE'
    return {cluster: clusterShape(account, c, false, now)}
  },

  DescribeClusters({account, now, params}) {
    const refs = optStringList(params, 'clusters')
    const tags = includesTags(params, ['ATTACHMENTS', 'CONFIGURATIONS', 'SETTINGS', 'STATISTICS', 'TAGS'])
    // No list (or an empty one) means the default cluster; deleted clusters answer INACTIVE.
    const {failures, found} = describeBatch(refs?.length ? refs : ['default'], {
      arnOf: (ref) => account.arn(`cluster/${ref}`),
      find: (ref) => account.clusters.get(clusterNameOf(ref)),
      max: 100,
      member: 'clusters',
      shape: (c) => clusterShape(account, c, tags, now),
    })
    return {clusters: found, failures}
  },

  ListClusters({account, params}) {
    const limit = maxResults(params, 100)
    const arns = [...account.clusters.values()].filter((c) => c.status === 'ACTIVE').map((c) => c.arn).sort()
    const p = page(arns, {key: (x) => x, limit, nextToken: optString(params, 'nextToken'), operation: 'ListClusters', filters: {}})
    return {clusterArns: p.items, nextToken: p.nextToken}
  },
}

export function tagsIn(list: unknown[] | undefined): Tag[] {
  if (!list) return []
  if (list.length > 50) throw invalidParameter('Too many tags: at most 50 are allowed.')
  return list.map((t) => {
    const {key, value} = (t ?? {}) as {key?: unknown; value?: unknown}
    if (typeof key !== 'string' || key === '') throw invalidParameter('Tag keys must be non-empty strings.')
    return {key, value: typeof value === 'string' ? value : ''}
  })
}
