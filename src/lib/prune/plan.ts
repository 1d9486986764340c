/**
 * The prune decision, pure: given a family's revisions, what uses them and a policy, which
 * revisions are protected and which are selected for deregistration and/or deletion.
 * Every safety rule of `taskonaut prune` lives here (and in its property tests):
 *   - LATEST (the newest ACTIVE revision) is never selected;
 *   - IN-USE (referenced by a service deployment, task set, live task or EventBridge target)
 *     is never selected;
 *   - KEEP (among the newest `keep` ACTIVE revisions, LATEST included) is never pre-selected,
 *     only an explicit selection (a person ticking it) can pick one;
 *   - filters only narrow the selection, they never reach a protected revision.
 */

export type RevisionStatus = 'ACTIVE' | 'INACTIVE'
export type Badge = 'LATEST' | 'IN-USE' | 'KEEP' | 'ACTIVE' | 'INACTIVE'
/** deregister-delete: ACTIVE → INACTIVE → deleted; delete: already INACTIVE; deregister: --deregister-only. */
export type Action = 'deregister-delete' | 'delete' | 'deregister'

export interface Revision {
  family: string
  revision: number
  arn: string
  status: RevisionStatus
  /** Only known when dates were asked for (age filter, interactive view). */
  registeredAt?: Date
}

/** What references task definitions: `family:revision` refs, and families named without a revision. */
export interface Usage {
  /** `family:revision` → where it is used (e.g. `service prod/api (PRIMARY)`). */
  revisions: ReadonlyMap<string, readonly string[]>
  /** family → where it is referenced without a revision (runs the latest ACTIVE one). */
  familyLatest: ReadonlyMap<string, readonly string[]>
}

export const NO_USAGE: Usage = {familyLatest: new Map(), revisions: new Map()}

export interface RevisionRange {
  from: number
  to: number
}

export interface Policy {
  /** How many of the newest ACTIVE revisions are kept (LATEST counts as one). At least 1. */
  keep: number
  /** Select only revisions registered before now − olderThanMs (revisions without a date are not selected). */
  olderThanMs?: number
  now?: Date
  /** Select only revision numbers inside these ranges (inclusive). */
  ranges?: readonly RevisionRange[]
  /** Delete already-INACTIVE revisions only; deregister nothing. */
  inactiveOnly?: boolean
  /** Deregister only; never delete. */
  deregisterOnly?: boolean
  /**
   * Revisions a person ticked. Replaces the pre-selection and the filters; may pick KEEP ones,
   * never LATEST or IN-USE ones.
   */
  explicit?: ReadonlySet<number>
}

export interface PlanEntry {
  family: string
  revision: number
  arn: string
  status: RevisionStatus
  registeredAt?: Date
  badge: Badge
  usedBy?: readonly string[]
  selected: boolean
  action?: Action
}

export interface PlanSummary {
  total: number
  active: number
  inactive: number
  /** LATEST and IN-USE: never touched. */
  protected: number
  /** KEEP and not selected. */
  kept: number
  /** Eligible but left out by the filters or the selection. */
  unselected: number
  selected: number
  toDeregister: number
  toDelete: number
}

export interface Plan {
  family: string
  keep: number
  /** Newest first. */
  entries: PlanEntry[]
  summary: PlanSummary
}

export function ref(family: string, revision: number): string {
  return `${family}:${revision}`
}

/** Badge of each revision, newest first. */
function badges(revisions: readonly Revision[], usage: Usage, keep: number): {badge: Badge; usedBy?: readonly string[]}[] {
  let activeSeen = 0
  return revisions.map((r) => {
    const isActive = r.status === 'ACTIVE'
    const rank = isActive ? ++activeSeen : 0
    const used = usage.revisions.get(ref(r.family, r.revision))
    const latestRefs = rank === 1 ? usage.familyLatest.get(r.family) : undefined
    const usedBy = used || latestRefs ? [...(used ?? []), ...(latestRefs ?? [])] : undefined
    if (rank === 1) return {badge: 'LATEST', usedBy}
    if (usedBy) return {badge: 'IN-USE', usedBy}
    if (isActive && rank <= keep) return {badge: 'KEEP'}
    return {badge: r.status}
  })
}

/** The action a revision would get under the mode flags, or undefined when the mode rules it out. */
function actionFor(status: RevisionStatus, policy: Policy): Action | undefined {
  if (status === 'ACTIVE') {
    if (policy.inactiveOnly) return undefined
    return policy.deregisterOnly ? 'deregister' : 'deregister-delete'
  }

  return policy.deregisterOnly ? undefined : 'delete'
}

function passesFilters(r: Revision, policy: Policy): boolean {
  if (policy.ranges && policy.ranges.length > 0 && !policy.ranges.some((x) => r.revision >= x.from && r.revision <= x.to)) return false
  if (policy.olderThanMs !== undefined) {
    if (!r.registeredAt) return false
    const now = (policy.now ?? new Date()).getTime()
    if (r.registeredAt.getTime() > now - policy.olderThanMs) return false
  }

  return true
}

/** True when a revision with this badge may ever be selected (KEEP only explicitly). */
export function selectable(badge: Badge, explicit: boolean): boolean {
  if (badge === 'ACTIVE' || badge === 'INACTIVE') return true
  return badge === 'KEEP' && explicit
}

export function planFamily(family: string, revisions: readonly Revision[], usage: Usage, policy: Policy): Plan {
  if (!Number.isInteger(policy.keep) || policy.keep < 1) throw new RangeError(`keep must be an integer of at least 1, got ${policy.keep}`)
  const sorted = revisions.filter((r) => r.family === family).sort((a, b) => b.revision - a.revision)
  const marks = badges(sorted, usage, policy.keep)
  const entries: PlanEntry[] = sorted.map((r, i) => {
    const {badge, usedBy} = marks[i]
    const explicit = policy.explicit !== undefined
    const action = actionFor(r.status, policy)
    const wanted = explicit ? policy.explicit!.has(r.revision) : passesFilters(r, policy)
    const selected = Boolean(action) && wanted && selectable(badge, explicit)
    const entry: PlanEntry = {arn: r.arn, badge, family: r.family, revision: r.revision, selected, status: r.status}
    if (r.registeredAt) entry.registeredAt = r.registeredAt
    if (usedBy) entry.usedBy = usedBy
    if (selected) entry.action = action
    return entry
  })
  return {entries, family, keep: policy.keep, summary: summarize(entries)}
}

export function summarize(entries: readonly PlanEntry[]): PlanSummary {
  const s: PlanSummary = {active: 0, inactive: 0, kept: 0, protected: 0, selected: 0, toDelete: 0, toDeregister: 0, total: entries.length, unselected: 0}
  for (const e of entries) {
    if (e.status === 'ACTIVE') s.active++
    else s.inactive++
    if (e.badge === 'LATEST' || e.badge === 'IN-USE') s.protected++
    else if (e.selected) s.selected++
    else if (e.badge === 'KEEP') s.kept++
    else s.unselected++
    if (e.action === 'deregister' || e.action === 'deregister-delete') s.toDeregister++
    if (e.action === 'delete' || e.action === 'deregister-delete') s.toDelete++
  }

  return s
}

/**
 * The revisions a person could tick one by one: those an explicit selection reaches (KEEP
 * included, never LATEST or IN-USE), less those the mode flags (--inactive-only,
 * --deregister-only) rule out.
 */
export function pickableRevisions(family: string, revisions: readonly Revision[], usage: Usage, policy: Policy): Set<number> {
  const plan = planFamily(family, revisions, usage, {...policy, explicit: new Set(revisions.map((r) => r.revision))})
  return new Set(plan.entries.filter((e) => e.selected).map((e) => e.revision))
}

/** Revisions that could be pruned at all (ACTIVE/INACTIVE badges), for "[N eligible]" badges. */
export function eligibleCount(plan: Plan): number {
  return plan.entries.filter((e) => e.badge === 'ACTIVE' || e.badge === 'INACTIVE').length
}

/** The work a set of plans asks for, as the execution pipeline takes it. */
export interface Work {
  /** ACTIVE revisions to deregister. */
  deregister: string[]
  /** Of those, the ones to delete once INACTIVE. */
  deleteAfterDeregister: Set<string>
  /** Revisions already INACTIVE to delete. */
  delete: string[]
}

export function workOf(plans: readonly Plan[]): Work {
  const work: Work = {delete: [], deleteAfterDeregister: new Set(), deregister: []}
  for (const plan of plans) {
    // Oldest first: the oldest revisions are the least likely to be wanted back.
    for (const e of [...plan.entries].reverse()) {
      if (e.action === 'delete') work.delete.push(e.arn)
      else if (e.action === 'deregister' || e.action === 'deregister-delete') {
        work.deregister.push(e.arn)
        if (e.action === 'deregister-delete') work.deleteAfterDeregister.add(e.arn)
      }
    }
  }

  return work
}
