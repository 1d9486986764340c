import type {ECSClient} from '@aws-sdk/client-ecs'

import {EXIT, type Explained, ExplainedError} from '../aws/errors.js'
import {suggestNames} from '../text/similar.js'
import {listClusterArns} from './clusters.js'
import {shortName} from './names.js'
import {listServiceArns} from './services.js'

/**
 * Unknown cluster: the error lists the closest names (or all of them when few). A name that
 * does not exist is a bad flag value, so the exit code is the usage error's (2).
 */
export async function unknownCluster(ecs: ECSClient, cluster: string): Promise<Explained> {
  const names = (await listClusterArns(ecs)).map((arn) => shortName(arn))
  return {
    exit: EXIT.USAGE,
    message: `Cluster "${shortName(cluster)}" not found.`,
    suggestions: [suggestNames(shortName(cluster), names, 'Clusters', 'Check --cluster and --region.')],
  }
}

/**
 * Unknown service: the closest names in the cluster, or all of them when few, else a hint to
 * pick one in a terminal with `command` (e.g. `taskonaut rollback`); exit 2 like a cluster.
 */
export async function unknownService(ecs: ECSClient, cluster: string, service: string, command?: string): Promise<Explained> {
  const names = (await listServiceArns(ecs, cluster)).map((arn) => shortName(arn))
  const many = command
    ? `It has ${names.length} services; run \`${command} --cluster ${shortName(cluster)}\` in a terminal to pick one.`
    : 'Check --service and --cluster.'
  return {
    exit: EXIT.USAGE,
    message: `Service "${shortName(service)}" not found in cluster ${shortName(cluster)}.`,
    suggestions: [names.length === 0 ? 'That cluster has no services.' : suggestNames(shortName(service), names, 'Services', many)],
  }
}

/** Runs `fn`, turning ClusterNotFoundException into an error that lists close names. */
export async function inCluster<T>(ecs: ECSClient, cluster: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if ((error as Error)?.name === 'ClusterNotFoundException') throw new ExplainedError(await unknownCluster(ecs, cluster))
    throw error
  }
}
