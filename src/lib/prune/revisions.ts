import type {ECSClient} from '@aws-sdk/client-ecs'
import pLimit from 'p-limit'

import type {CallOptions} from '../ecs/clusters.js'
import {parseTaskDefinition} from '../ecs/names.js'
import {describeTaskDefinition, listRevisionArns} from '../ecs/task-definitions.js'
import type {Revision, RevisionStatus} from './plan.js'

/**
 * Every revision of a family, ACTIVE and INACTIVE (ListTaskDefinitions lists only ACTIVE ones
 * unless asked for INACTIVE), all pages, newest first. No Describe per revision: the ARN
 * carries the revision number.
 */
export async function listRevisions(ecs: ECSClient, family: string, opts: CallOptions = {}): Promise<Revision[]> {
  const statuses: RevisionStatus[] = ['ACTIVE', 'INACTIVE']
  const lists = await Promise.all(statuses.map((status) => listRevisionArns(ecs, family, status, {...opts, sort: 'DESC'})))
  const out: Revision[] = []
  for (const [i, arns] of lists.entries()) {
    for (const arn of arns) {
      const parsed = parseTaskDefinition(arn)
      // familyPrefix matches the whole family name, but stay safe against a prefix match.
      if (parsed && parsed.family === family) out.push({arn, family, revision: parsed.revision, status: statuses[i]})
    }
  }

  return out.sort((a, b) => b.revision - a.revision)
}

/**
 * Every revision of every family, ACTIVE and INACTIVE, grouped by family (newest first): one
 * account-wide listing per status, pages of 100 across families, instead of two listings per
 * family. For the family search and --all-families.
 */
export async function listAllRevisions(ecs: ECSClient, opts: CallOptions = {}): Promise<Map<string, Revision[]>> {
  const statuses: RevisionStatus[] = ['ACTIVE', 'INACTIVE']
  const lists = await Promise.all(statuses.map((status) => listRevisionArns(ecs, undefined, status, opts)))
  const byFamily = new Map<string, Revision[]>()
  for (const [i, arns] of lists.entries()) {
    for (const arn of arns) {
      const parsed = parseTaskDefinition(arn)
      if (!parsed) continue
      const revisions = byFamily.get(parsed.family) ?? []
      revisions.push({arn, family: parsed.family, revision: parsed.revision, status: statuses[i]})
      byFamily.set(parsed.family, revisions)
    }
  }

  for (const revisions of byFamily.values()) revisions.sort((a, b) => b.revision - a.revision)
  return byFamily
}

/**
 * Fills registeredAt (DescribeTaskDefinition, one per revision) for the revisions `which`
 * accepts: only asked for when an age filter or the interactive view needs dates. The pace
 * comes from the client (the task definition read bucket); a few calls are in flight at once.
 * `onProgress` hears how many are to be read (done 0) before the first call, then each one read.
 */
export async function addDates(
  ecs: ECSClient,
  revisions: Revision[],
  which: (r: Revision) => boolean,
  opts: CallOptions & {concurrency?: number; onProgress?: (done: number, total: number) => void} = {},
): Promise<void> {
  const todo = revisions.filter((r) => !r.registeredAt && which(r))
  const limit = pLimit(opts.concurrency ?? 10)
  let done = 0
  opts.onProgress?.(0, todo.length)
  await Promise.all(
    todo.map((r) =>
      limit(async () => {
        const {taskDefinition} = await describeTaskDefinition(ecs, r.arn, opts)
        if (taskDefinition.registeredAt) r.registeredAt = new Date(taskDefinition.registeredAt)
        opts.onProgress?.(++done, todo.length)
      }),
    ),
  )
}
