import type {ECSClient} from '@aws-sdk/client-ecs'
import type {EventBridgeClient} from '@aws-sdk/client-eventbridge'
import pLimit from 'p-limit'

import type {FamilyInfo} from './interactive.js'
import {eligibleCount, NO_USAGE, type Plan, planFamily, type Policy, type Revision, type Usage} from './plan.js'
import {addDates, listAllRevisions, listRevisions} from './revisions.js'
import {scanUsage, type UsageScan, type UsageScope} from './usage.js'

export interface Analysis {
  scan: UsageScan
  /** Revisions per family (newest first), kept for re-planning in the interactive flow. */
  revisions: Map<string, Revision[]>
  plans: Plan[]
}

/**
 * Gathers the facts (revisions of each family, what uses them) and plans each family. Dates
 * (one DescribeTaskDefinition per revision) are read only for an age filter, and only for the
 * revisions every other filter and protection leaves selectable (see dateCandidates);
 * `onDates` hears how many there are (done 0) and each one read.
 */
export async function analyze(
  ecs: ECSClient,
  events: () => Promise<EventBridgeClient>,
  opts: {families: string[]; scope: UsageScope; policy: Policy; signal?: AbortSignal; onDates?: (done: number, total: number) => void},
): Promise<Analysis> {
  const [scan, revisions] = await Promise.all([
    scanUsage(ecs, events, {families: new Set(opts.families), scope: opts.scope, signal: opts.signal}),
    listFor(ecs, opts.families, opts.signal),
  ])
  if (opts.policy.olderThanMs !== undefined) await addAgeFilterDates(ecs, revisions, scan.usage, opts.policy, {onDates: opts.onDates, signal: opts.signal})
  const plans = opts.families.map((family) => planFamily(family, revisions.get(family) ?? [], scan.usage, opts.policy))
  return {plans, revisions, scan}
}

/**
 * Reads the registration dates an age filter needs, for the revisions of every family in
 * `revisions` (see dateCandidates); for analyze, and for the interactive "older than" choice.
 * `onDates` hears how many there are (done 0) and each one read.
 */
export async function addAgeFilterDates(
  ecs: ECSClient,
  revisions: ReadonlyMap<string, Revision[]>,
  usage: Usage,
  policy: Policy,
  opts: {signal?: AbortSignal; onDates?: (done: number, total: number) => void} = {},
): Promise<void> {
  const wanted = new Set<string>()
  for (const [family, revs] of revisions) for (const arn of dateCandidates(family, revs, usage, policy)) wanted.add(arn)
  await addDates(ecs, [...revisions.values()].flat(), (r) => wanted.has(r.arn), {abortSignal: opts.signal, onProgress: opts.onDates})
}

/**
 * ARNs of the revisions an age filter has to date: the ones the policy selects when the age is
 * left out. So --revisions, --inactive-only and --deregister-only narrow the reads too, and
 * LATEST, IN-USE and KEEP revisions (never selected without a person ticking them) are not read.
 */
function dateCandidates(family: string, revisions: readonly Revision[], usage: Usage, policy: Policy): Set<string> {
  const plan = planFamily(family, revisions, usage, {...policy, explicit: undefined, olderThanMs: undefined})
  return new Set(plan.entries.filter((e) => e.selected).map((e) => e.arn))
}

/**
 * Revisions of the families asked for. A few families: a listing per family. More: one
 * account-wide listing (pages of 100 across families) costs fewer calls than one per family.
 */
async function listFor(ecs: ECSClient, families: string[], signal?: AbortSignal): Promise<Map<string, Revision[]>> {
  if (families.length > 3) {
    const all = await listAllRevisions(ecs, {abortSignal: signal})
    return new Map(families.map((family) => [family, all.get(family) ?? []]))
  }

  const limit = pLimit(4)
  return new Map(await Promise.all(families.map((family) => limit(async () => [family, await listRevisions(ecs, family, {abortSignal: signal})] as const))))
}

/** Counts for the family search ("[N eligible]", before the usage check), from one account-wide listing. */
export async function familyInfos(ecs: ECSClient, families: string[], keep: number): Promise<FamilyInfo[]> {
  const all = await listAllRevisions(ecs)
  return families.map((family) => {
    const plan = planFamily(family, all.get(family) ?? [], NO_USAGE, {keep})
    return {active: plan.summary.active, eligible: eligibleCount(plan), family, inactive: plan.summary.inactive}
  })
}
