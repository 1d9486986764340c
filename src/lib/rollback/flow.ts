import type {ECSClient, Service, TaskDefinition} from '@aws-sdk/client-ecs'

import type {Explained} from '../aws/errors.js'
import {describeTaskDefinition} from '../ecs/task-definitions.js'
import {BACK} from '../ui/prompts.js'
import {diffTaskDefinitions, type TaskDefinitionDiff} from './diff.js'
import {findService} from './lookup.js'
import {type Confirmation, pickCluster, pickRevision, pickService} from './pick.js'
import {lastSuccessfulRevision, type PreviousRevision} from './records.js'
import {resolveTarget} from './resolve-target.js'
import type {RevisionDates} from './revision-dates.js'
import {activeRevisions, type Candidate, candidatesOf} from './revisions.js'
import {serviceRefusal} from './safety.js'
import type {TargetSpec} from './target.js'

/** Rows of the revision list whose dates are loaded before it is shown (one screen). */
const FIRST_PAGE = 15
/** ...but the list is not held back longer than this: its rows fill in as dates arrive. */
const FIRST_PAGE_WAIT_MS = 2000

/** What the command lends the walk: leave to ask, the confirmation, its errors and its output. */
export interface RollbackIO {
  /** Asks `question`, or fails at once naming --`flag` (the value it gives: `what`) when prompting is off. */
  ask<T>(flag: string, what: string | undefined, question: () => Promise<T>): Promise<T>
  /** The last question, after the preview: "← Back" returns to the revision list. */
  confirm(from: number, to: number): Promise<Confirmation>
  fail(explained: Explained): never
  /** Shown before the confirmation, and for a dry run. */
  showPreview(chosen: Chosen): void
  /** An ECS client without SDK retries, for the date loader: it paces and retries its calls itself. */
  quietEcs(): Promise<ECSClient>
}

/** Values given as flags: their steps are not asked, until "← Back" leaves them. */
export interface RollbackFixed {
  cluster?: string
  service?: string
  spec?: TargetSpec
  dryRun?: boolean
  /** The command an unknown service's hint says to run in a terminal (`taskonaut rollback`). */
  command: string
}

interface Where {
  cluster: string
  service: Service
  /** The revision the service runs. */
  current: TaskDefinition
}

/** A target resolved and compared with the running revision. */
export interface Chosen extends Where {
  target: TaskDefinition
  basis?: PreviousRevision['basis']
  preview: TaskDefinitionDiff
}

/** Where the walk ends: nothing to do, or a target with the answer (a dry run asks nothing). */
export type RollbackChoice = (Chosen & {answer: 'dry-run' | 'no' | 'yes'; kind: 'target'}) | (Where & {kind: 'already'; revision: number})

/**
 * cluster → service → revision → preview → confirm, with "← Back" between the steps. Each
 * service's revision list (with its registration dates) and each running revision are read
 * once per walk: going back and coming again reuses them.
 */
export async function chooseRollback(ecs: ECSClient, io: RollbackIO, fixed: RollbackFixed): Promise<RollbackChoice> {
  const lists = new Map<string, RevisionList>()
  const described = new Map<string, Promise<TaskDefinition>>()
  let {cluster, spec} = fixed
  let service: Service | undefined
  let navigated = false
  for (;;) {
    cluster ??= await io.ask('cluster', undefined, () => pickCluster(ecs))
    if (!service) {
      if (fixed.service && !navigated) {
        service = await findService(ecs, cluster, fixed.service, fixed.command)
      } else {
        const picked = await io.ask('service', 'the service to roll back', () => pickService(ecs, cluster!))
        if (picked === BACK) {
          cluster = undefined
          continue
        }

        service = picked
      }
    }

    const refusal = serviceRefusal(service)
    if (refusal) io.fail(refusal)
    const current = await describeOnce(ecs, described, service.taskDefinition ?? '')
    if (!spec) {
      const revision = await io.ask('to-revision', 'the target revision (--to-revision, --to or --previous)', () =>
        askRevision(ecs, io, lists, cluster!, service!, current),
      )
      if (revision === BACK) {
        service = undefined
        navigated = true
        continue
      }

      spec = {kind: 'revision', revision}
    }

    const resolution = await resolveTarget(ecs, service, current, spec)
    if (resolution.kind === 'already') return {cluster, current, kind: 'already', revision: resolution.revision, service}
    const {basis, target} = resolution
    const chosen: Chosen = {basis, cluster, current, preview: diffTaskDefinitions(current, target), service, target}
    io.showPreview(chosen)
    if (fixed.dryRun) return {...chosen, answer: 'dry-run', kind: 'target'}
    const answer = await io.confirm(current.revision!, target.revision!)
    if (answer === BACK) {
      spec = undefined
      continue
    }

    return {...chosen, answer, kind: 'target'}
  }
}

interface RevisionList {
  candidates: Candidate[]
  dates: RevisionDates
}

async function askRevision(
  ecs: ECSClient,
  io: RollbackIO,
  lists: Map<string, RevisionList>,
  cluster: string,
  service: Service,
  current: TaskDefinition,
): Promise<number | typeof BACK> {
  const family = current.family ?? ''
  const key = `${service.serviceArn}|${current.taskDefinitionArn}`
  let list = lists.get(key)
  if (!list) {
    const [good, active, {RevisionDates}] = await Promise.all([
      lastSuccessfulRevision(ecs, cluster, service.serviceName ?? '', current.taskDefinitionArn ?? ''),
      activeRevisions(ecs, family),
      import('./revision-dates.js'),
    ])
    const candidates = candidatesOf(active, current.revision ?? 0, good?.family === family ? good?.revision : undefined)
    // ECS's read budget is shared: the list pages and the current revision's describe came out of it.
    const spent = Math.max(1, Math.ceil(active.length / 100)) + 1
    list = {candidates, dates: new RevisionDates(await io.quietEcs(), candidates, {spent})}
    lists.set(key, list)
  }

  const {candidates, dates} = list
  dates.start()
  try {
    // The first screen appears complete; the other rows fill in while the list is shown.
    await dates.settled(candidates.slice(0, FIRST_PAGE).map((c) => c.revision), FIRST_PAGE_WAIT_MS)
    return await pickRevision(family, current.revision ?? 0, candidates, dates)
  } finally {
    // Only the list needs the dates: stop before the target is described, leaving it ECS's read budget.
    dates.pause()
  }
}

/** DescribeTaskDefinition of `ref`, once per walk; a failed describe is not kept, so the next look tries again. */
function describeOnce(ecs: ECSClient, described: Map<string, Promise<TaskDefinition>>, ref: string): Promise<TaskDefinition> {
  let found = described.get(ref)
  if (!found) {
    found = describeTaskDefinition(ecs, ref).then((out) => out.taskDefinition)
    found.catch(() => described.delete(ref))
    described.set(ref, found)
  }

  return found
}
