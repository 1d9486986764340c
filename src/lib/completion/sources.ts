import type {ECSClient} from '@aws-sdk/client-ecs'

import {mapBatches} from '../ecs/batch.js'
import type {CallOptions} from '../ecs/clusters.js'
import {listClusterArns} from '../ecs/clusters.js'
import {shortName} from '../ecs/names.js'
import {listServiceArns} from '../ecs/services.js'
import {listFamilies} from '../ecs/task-definitions.js'
import type {LiveFlag} from './live-flags.js'

/**
 * Fetches the names a flag completes with: clusters; services of the --cluster on the line
 * (of every cluster when there is none); ACTIVE task definition families. Only List calls:
 * names are in the ARNs, nothing needs describing.
 */
export async function liveNames(ecs: ECSClient, flag: LiveFlag, given: {cluster?: string}, opts: CallOptions = {}): Promise<string[]> {
  switch (flag) {
    case 'cluster': {
      return (await listClusterArns(ecs, opts)).map((arn) => shortName(arn))
    }

    case 'family': {
      return listFamilies(ecs, 'ACTIVE', opts)
    }

    case 'service': {
      const clusters = given.cluster ? [given.cluster] : await listClusterArns(ecs, opts)
      const lists = await mapBatches(clusters, 1, 4, ([cluster]) => listServiceArns(ecs, cluster, opts))
      return lists.flat().map((arn) => shortName(arn))
    }
  }
}
