import type {ECSClient, Service} from '@aws-sdk/client-ecs'

import {ExplainedError} from '../aws/errors.js'
import {inCluster, unknownService} from '../ecs/lookup.js'
import {describeServices} from '../ecs/services.js'

/**
 * The service named by --cluster/--service, or an error with the names closest to what was
 * typed (an unknown cluster is told apart from an unknown service). `command` is what the hint
 * tells people to run to pick one in a terminal (`taskonaut rollback`, `taskonaut rollback history`).
 */
export async function findService(ecs: ECSClient, cluster: string, service: string, command: string): Promise<Service> {
  const found = await inCluster(ecs, cluster, () => describeServices(ecs, cluster, [service]))

  // DescribeServices still answers for a deleted service for a while, with status INACTIVE.
  const live = found.find((s) => s.status !== 'INACTIVE')
  if (live) return live
  throw new ExplainedError(await unknownService(ecs, cluster, service, command))
}

/** `arn:aws:ecs:region:account:service/prod/web` → `prod` (the long ARN format names its cluster). */
export function clusterOfServiceArn(service: string | undefined): string | undefined {
  const m = /^arn:[^:]+:ecs:[^:]*:\d*:service\/([^/]+)\/[^/]+$/.exec(service ?? '')
  return m?.[1]
}
