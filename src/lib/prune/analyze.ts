import type {ECSClient} from '@aws-sdk/client-ecs'
import type {EventBridgeClient} from '@aws-sdk/client-eventbridge'
import pLimit from 'p-limit'

import type {FamilyInfo} from './interactive.js'
import {eligibleCount, NO_USAGE, type Plan, planFamily, type Policy, type Revision} from './plan.js'
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
 * revisions that could be selected.
 */
export async function analyze(
  ecs: ECSClient,
  events: () => Promise<EventBridgeClient>,
  opts: {families: string[]; scope: UsageScope; policy: Policy; signal?: AbortSignal},
): Promise<Analysis> {
  const [scan, lists] = await Promise.all([
    scanUsage(ecs, events, {families: new Set(opts.families), scope: opts.scope, signal: opts.signal}),
    listFor(ecs, opts.families, opts.signal),
  ])
  const revisions = lists
  if (opts.policy.olderThanMs !== undefined) {
    for (const [family, revs] of revisions) {
      const candidates = new Set(planFamily(family, revs, scan.usage, {keep: opts.policy.keep}).entries.filter((e) => e.badge === 'ACTIVE' || e.badge === 'INACTIVE').map((e) => e.revision))
      await addDates(ecs, revs, (r) => candidates.has(r.revision), {abortSignal: opts.signal})
    }
  }

  const plans = opts.families.map((family) => planFamily(family, revisions.get(family) ?? [], scan.usage, opts.policy))
  return {plans, revisions, scan}
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
