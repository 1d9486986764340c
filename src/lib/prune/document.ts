import type {ExecuteResult} from './execute.js'
import type {Plan} from './plan.js'
import type {Unreadable, UsageScan} from './usage.js'

/** `taskonaut prune --json`: the plan of every family, the usage scan, and the results of a run. */
export interface PruneJson {
  dryRun: boolean
  usage: {scope: string; clusters: number; services: number; tasks: number; ruleTargets: number; unreadable: Unreadable[]}
  families: {
    family: string
    keep: number
    summary: Plan['summary']
    revisions: {revision: number; arn: string; status: string; badge: string; selected: boolean; action?: string; usedBy?: readonly string[]; registeredAt?: string}[]
  }[]
  result: null | {
    deregistered: number
    deleted: number
    failures: ExecuteResult['failures']
    notDone: ExecuteResult['notDone']
    cancelled: boolean
    elapsedMs: number
  }
}

export function pruneDocument(plans: readonly Plan[], scan: UsageScan, scope: string, dryRun: boolean): PruneJson {
  return {
    dryRun,
    families: plans.map((p) => ({
      family: p.family,
      keep: p.keep,
      revisions: p.entries.map((e) => ({
        action: e.action,
        arn: e.arn,
        badge: e.badge,
        registeredAt: e.registeredAt?.toISOString(),
        revision: e.revision,
        selected: e.selected,
        status: e.status,
        usedBy: e.usedBy,
      })),
      summary: p.summary,
    })),
    result: null,
    usage: {...scan.stats, scope, unreadable: scan.unreadable},
  }
}

/** Counts of what was done, and every failure with its ARN, reason and detail. */
export function resultDocument(result: ExecuteResult): NonNullable<PruneJson['result']> {
  return {
    cancelled: result.cancelled,
    deleted: result.deleted.length,
    deregistered: result.deregistered.length,
    elapsedMs: Math.round(result.elapsedMs),
    failures: result.failures,
    notDone: result.notDone,
  }
}
