import type {ECSClient} from '@aws-sdk/client-ecs'

import {EXIT, type Explained, ExplainedError} from '../aws/errors.js'
import {closeMatches, orList} from '../text/similar.js'
import {listClusterArns} from './clusters.js'
import {shortName} from './names.js'

/** Unknown cluster: the error lists the closest names (or all of them when few). */
export async function unknownCluster(ecs: ECSClient, cluster: string): Promise<Explained> {
  const names = (await listClusterArns(ecs)).map((arn) => shortName(arn))
  const close = closeMatches(shortName(cluster), names)
  return {
    exit: EXIT.FAILURE,
    message: `Cluster "${shortName(cluster)}" not found.`,
    suggestions: [
      close.length > 0 ? `Did you mean ${orList(close)}?` : names.length > 0 && names.length <= 10 ? `Clusters: ${names.join(', ')}.` : 'Check --cluster and --region.',
    ],
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
