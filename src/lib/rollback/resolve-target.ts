import type {ECSClient, Service, TaskDefinition} from '@aws-sdk/client-ecs'

import {EXIT} from '../aws/errors.js'
import {when} from '../text/duration.js'
import {ExplainedError} from '../aws/errors.js'
import {type PreviousRevision, previousRevision} from './records.js'
import {activeRevisions, findTaskDefinition} from './revisions.js'
import {nearestRevisions, type TargetSpec} from './target.js'

export type Resolution =
  | {basis?: PreviousRevision['basis']; kind: 'target'; target: TaskDefinition}
  | {kind: 'already'; revision: number}

/**
 * Turns what the user asked for into a deployable revision, or explains why not: another
 * family, a revision that does not exist (with the nearest ones), an INACTIVE one (ECS refuses
 * to deploy it), or the revision the service already runs.
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

  const target = await findTaskDefinition(ecs, `${targetFamily}:${revision}`)
  if (!target) {
    const nearest = nearestRevisions(revision, (await activeRevisions(ecs, targetFamily)).map((r) => r.revision))
    throw new ExplainedError({
      exit: EXIT.FAILURE,
      message: `Revision ${targetFamily}:${revision} does not exist.`,
      suggestions: [nearest.length > 0 ? `Nearest ACTIVE revisions: ${nearest.join(', ')}.` : `${targetFamily} has no ACTIVE revisions.`],
    })
  }

  if (target.status !== 'ACTIVE') {
    const nearest = nearestRevisions(revision, (await activeRevisions(ecs, targetFamily)).map((r) => r.revision).filter((r) => r !== current.revision))
    const since = target.deregisteredAt ? ` since ${when(target.deregisteredAt)}` : ''
    const from = spec.kind === 'previous' ? ' (from --previous)' : ''
    throw new ExplainedError({
      exit: EXIT.FAILURE,
      message: `Revision ${targetFamily}:${revision}${from} is ${target.status}${since}: ECS does not start new deployments of it.`,
      suggestions: [nearest.length > 0 ? `Pick an ACTIVE revision, e.g. ${nearest.join(', ')}.` : 'Register it again (`aws ecs register-task-definition`) and roll back to the new revision.'],
    })
  }

  return {basis, kind: 'target', target}
}
