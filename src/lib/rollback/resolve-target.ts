import type {ECSClient, Service, TaskDefinition} from '@aws-sdk/client-ecs'

import {EXIT} from '../aws/errors.js'
import {when} from '../text/duration.js'
import {ExplainedError} from '../aws/errors.js'
import {type PreviousRevision, previousRevision} from './records.js'
import {activeRevisions, findTaskDefinition} from './revisions.js'
import {arnScope, nearestRevisions, type TargetSpec} from './target.js'

export type Resolution =
  | {basis?: PreviousRevision['basis']; kind: 'target'; target: TaskDefinition}
  | {kind: 'already'; revision: number}

/**
 * Turns what the user asked for into a deployable revision, or explains why not: another
 * family, account or region, a revision that does not exist (with the nearest ones), an
 * INACTIVE one (ECS refuses to deploy it), or the revision the service already runs.
 */
export async function resolveTarget(ecs: ECSClient, service: Service, current: TaskDefinition, spec: TargetSpec): Promise<Resolution> {
  const family = current.family ?? ''
  let revision: number
  let targetFamily = family
  let basis: PreviousRevision['basis'] | undefined
  if (spec.kind === 'previous') {
    const previous = await previousRevision(ecs, service)
    if (!previous) {
      throw new ExplainedError({
        exit: EXIT.FAILURE,
        message: `No revision of ${family} before ${current.revision} is known: neither ECS's deployment records nor the ACTIVE revisions name one.`,
        suggestions: ['Name one with --to-revision N.'],
      })
    }

    ;({basis, family: targetFamily, revision} = previous)
  } else if (spec.kind === 'named') {
    refuseOtherScope(spec.arn, current.taskDefinitionArn, `${family}:${spec.revision}`)
    if (spec.family !== family) {
      throw new ExplainedError({
        exit: EXIT.USAGE,
        message: `--to names family "${spec.family}", but the service runs family "${family}": a rollback stays within its family.`,
        suggestions: [`Pass --to ${family}:N or --to-revision N; to switch families use \`aws ecs update-service --task-definition ${spec.family}:${spec.revision}\`.`],
      })
    }

    revision = spec.revision
  } else {
    revision = spec.revision
  }

  if (targetFamily === family && revision === current.revision) return {kind: 'already', revision}

  // The revision running now is never offered as a target: it is where we are.
  const others = async () => (await activeRevisions(ecs, targetFamily)).map((r) => r.revision).filter((r) => r !== current.revision)
  const target = await findTaskDefinition(ecs, `${targetFamily}:${revision}`)
  if (!target) {
    const nearest = nearestRevisions(revision, await others())
    throw new ExplainedError({
      // A revision named by a flag that is not there: a usage error, like an unknown name.
      exit: EXIT.USAGE,
      message: `Revision ${targetFamily}:${revision} does not exist.`,
      suggestions: [nearest.length > 0 ? `Nearest ACTIVE revisions: ${nearest.join(', ')}.` : `${targetFamily} has no other ACTIVE revision.`],
    })
  }

  if (target.status !== 'ACTIVE') {
    const nearest = nearestRevisions(revision, await others())
    // A revision being deleted was deregistered first; when its deletion was asked for is the news.
    const at = target.status === 'DELETE_IN_PROGRESS' ? (target.deleteRequestedAt ?? target.deregisteredAt) : target.deregisteredAt
    const since = at ? ` since ${when(at)}` : ''
    const from = spec.kind === 'previous' ? ' (from --previous)' : ''
    throw new ExplainedError({
      exit: EXIT.FAILURE,
      message: `Revision ${targetFamily}:${revision}${from} is ${target.status}${since}: ECS does not start new deployments of it.`,
      suggestions: [nearest.length > 0 ? `Pick an ACTIVE revision, e.g. ${nearest.join(', ')}.` : 'Register it again (`aws ecs register-task-definition`) and roll back to the new revision.'],
    })
  }

  return {basis, kind: 'target', target}
}

/**
 * A rollback stays in the service's account and region: an ARN from elsewhere is refused, not
 * quietly turned into this account's revision of the same number.
 */
function refuseOtherScope(arn: string | undefined, currentArn: string | undefined, local: string): void {
  const wanted = arnScope(arn)
  const here = arnScope(currentArn)
  if (!wanted || !here || (wanted.account === here.account && wanted.region === here.region)) return
  throw new ExplainedError({
    exit: EXIT.USAGE,
    message: `--to names a task definition in account ${wanted.account}, region ${wanted.region}, but the service runs in account ${here.account}, region ${here.region}.`,
    suggestions: [`A service runs task definitions of its own account and region: pass --to ${local} for this account's revision.`],
  })
}
