import type {ECSClient, Service} from '@aws-sdk/client-ecs'

import {EXIT, ExplainedError} from '../aws/errors.js'
import {inCluster} from '../ecs/lookup.js'
import {shortName} from '../ecs/names.js'
import {describeServices, listServiceArns} from '../ecs/services.js'
import {closeMatches, orList} from '../text/similar.js'

/**
 * The service named by --cluster/--service, or an error with the names closest to what was
 * typed (an unknown cluster is told apart from an unknown service).
 */
export async function findService(ecs: ECSClient, cluster: string, service: string): Promise<Service> {
  const found = await inCluster(ecs, cluster, () => describeServices(ecs, cluster, [service]))

  // DescribeServices still answers for a deleted service for a while, with status INACTIVE.
  const live = found.find((s) => s.status !== 'INACTIVE')
  if (live) return live
  const names = (await listServiceArns(ecs, cluster)).map(shortName)
  const close = closeMatches(shortName(service), names)
  throw new ExplainedError({
    exit: EXIT.FAILURE,
    message: `Service "${shortName(service)}" not found in cluster ${shortName(cluster)}.`,
    suggestions: [
      close.length > 0
        ? `Did you mean ${orList(close)}?`
        : names.length > 0
          ? `It has ${names.length} service${names.length === 1 ? '' : 's'}; run \`taskonaut rollback --cluster ${shortName(cluster)}\` in a terminal to pick one.`
          : 'That cluster has no services.',
    ],
  })
}

/** `arn:aws:ecs:region:account:service/prod/web` → `prod` (the long ARN format names its cluster). */
export function clusterOfServiceArn(service: string | undefined): string | undefined {
  const m = /^arn:[^:]+:ecs:[^:]*:\d*:service\/([^/]+)\/[^/]+$/.exec(service ?? '')
  return m?.[1]
}
