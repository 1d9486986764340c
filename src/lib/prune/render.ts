import type {ExecuteResult, PhaseProgress} from './execute.js'
import {compactRanges} from './filters.js'
import type {Badge, Plan, PlanEntry} from './plan.js'

const ANSI: Record<Badge, string> = {
  ACTIVE: '\u001B[36m',
  'IN-USE': '\u001B[33m',
  INACTIVE: '\u001B[90m',
  KEEP: '\u001B[34m',
  LATEST: '\u001B[32m',
}

export function badgeLabel(badge: Badge, color = false): string {
  const text = badge.padEnd(8)
  return color ? `${ANSI[badge]}${text}\u001B[0m` : text
}

function actionLabel(e: PlanEntry): string {
  if (!e.selected) return e.badge === 'LATEST' || e.badge === 'IN-USE' ? 'protected' : e.badge === 'KEEP' ? 'kept' : 'left alone'
  return e.action === 'deregister-delete' ? 'deregister + delete' : e.action!
}

function day(d?: Date): string {
  return d ? d.toISOString().slice(0, 10) : ''
}

/**
 * The analysis table. Consecutive revisions with the same badge and fate share one line, so a
 * family of 5,000 revisions stays a screenful; every protected revision in use gets its own
 * line saying where it is used.
 */
export function renderAnalysis(plan: Plan, opts: {color?: boolean} = {}): string[] {
  const s = plan.summary
  const lines = [`${plan.family}: ${s.total} revision${s.total === 1 ? '' : 's'} (${s.active} ACTIVE, ${s.inactive} INACTIVE), keeping the newest ${plan.keep} ACTIVE`]
  const rows: {revs: string; badge: Badge; fate: string; note: string}[] = []
  let group: PlanEntry[] = []
  const flush = () => {
    if (group.length === 0) return
    const first = group[0]
    const last = group.at(-1)!
    const dates = first.registeredAt || last.registeredAt ? `${day(last.registeredAt)}${group.length > 1 ? ` – ${day(first.registeredAt)}` : ''}` : ''
    rows.push({
      badge: first.badge,
      fate: actionLabel(first),
      note: first.usedBy ? first.usedBy.join('; ') : [group.length > 1 ? `${group.length} revisions` : '', dates].filter(Boolean).join(', '),
      revs: group.length > 1 ? `${last.revision}-${first.revision}` : String(first.revision),
    })
    group = []
  }

  for (const e of plan.entries) {
    const prev = group.at(-1)
    const joins = prev && !e.usedBy && !prev.usedBy && prev.badge === e.badge && prev.selected === e.selected && prev.action === e.action && prev.revision === e.revision + 1
    if (!joins) flush()
    group.push(e)
  }

  flush()
  const width = Math.max(9, ...rows.map((r) => r.revs.length))
  lines.push(`  ${'REVISION'.padEnd(width)}  ${'BADGE   '}  ${'FATE'.padEnd(19)}  NOTE`)
  for (const r of rows) lines.push(`  ${r.revs.padEnd(width)}  ${badgeLabel(r.badge, opts.color)}  ${r.fate.padEnd(19)}  ${r.note}`.trimEnd())
  return lines
}

/**
 * The dry-run summary: what is protected, kept, deregistered, deleted; and a warning when KEEP
 * revisions were ticked by hand (only a person can select them, and they are what a rollback uses).
 */
export function renderSummary(plan: Plan): string[] {
  const s = plan.summary
  const pick = (f: (e: PlanEntry) => boolean) => compactRanges(plan.entries.filter(f).map((e) => e.revision)) || 'none'
  const rows: [string, number, string][] = [
    ['protected (LATEST, IN-USE)', s.protected, pick((e) => e.badge === 'LATEST' || e.badge === 'IN-USE')],
    [`kept (newest ${plan.keep})`, s.kept, pick((e) => e.badge === 'KEEP' && !e.selected)],
    ['to deregister', s.toDeregister, pick((e) => e.action === 'deregister' || e.action === 'deregister-delete')],
    ['to delete (permanent)', s.toDelete, pick((e) => e.action === 'delete' || e.action === 'deregister-delete')],
  ]
  if (s.unselected > 0) rows.push(['left alone (filters)', s.unselected, pick((e) => !e.selected && (e.badge === 'ACTIVE' || e.badge === 'INACTIVE'))])
  const width = Math.max(...rows.map(([label]) => label.length)) + 1
  const digits = Math.max(...rows.map(([, n]) => String(n).length))
  const lines = [`${plan.family}:`, ...rows.map(([label, n, revs]) => `  ${`${label}:`.padEnd(width)} ${String(n).padStart(digits)}  ${revs}`)]
  const keptTicked = plan.entries.filter((e) => e.badge === 'KEEP' && e.selected).map((e) => e.revision)
  if (keptTicked.length > 0) {
    const one = keptTicked.length === 1
    lines.push(
      `  ⚠ ${keptTicked.length} KEEP revision${one ? '' : 's'} ticked by hand: ${compactRanges(keptTicked)}. ${one ? 'It is' : 'They are'} among the newest ${plan.keep} ACTIVE, what a rollback can still use.`,
    )
  }

  return lines
}

export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const sec = total % 60
  if (h) return `${h}h${String(m).padStart(2, '0')}m`
  if (m) return `${m}m${String(sec).padStart(2, '0')}s`
  return `${sec}s`
}

/** `deregister 120/495 (1.0/s, ~6m15s left)`: done/total, the rate so far and the time left at that rate. */
export function progressLine(p: PhaseProgress, elapsedMs: number): string {
  const finished = p.done + p.failed
  const rate = elapsedMs > 0 ? finished / (elapsedMs / 1000) : 0
  const left = rate > 0 && finished < p.total ? `, ~${formatDuration(((p.total - finished) / rate) * 1000)} left` : ''
  const failed = p.failed ? `, ${p.failed} failed` : ''
  return `${p.phase} ${finished}/${p.total} (${rate.toFixed(1)}/s${left}${failed})`
}

/** What was done, what failed (with reasons) and what was not attempted. */
export function renderResults(result: ExecuteResult, opts: {maxFailures?: number} = {}): string[] {
  const lines = [
    `Deregistered ${result.deregistered.length}, deleted ${result.deleted.length}, failed ${result.failures.length} in ${formatDuration(result.elapsedMs)}.`,
  ]
  if (result.cancelled) {
    lines.push(
      `Cancelled: ${result.notDone.deregister.length} not deregistered, ${result.notDone.delete.length} not deleted. Run the same command again to finish.`,
    )
  }

  const max = opts.maxFailures ?? 50
  for (const f of result.failures.slice(0, max)) lines.push(`  ✖ ${f.arn} (${f.phase}): ${f.reason}${f.detail ? ` — ${f.detail}` : ''}`)
  if (result.failures.length > max) lines.push(`  … and ${result.failures.length - max} more (use --json for all of them)`)
  return lines
}
