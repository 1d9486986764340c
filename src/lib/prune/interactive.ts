import {BACK, type CheckboxChoice, type Choice, prompts} from '../ui/prompts.js'
import {compactRanges, parseDuration, parseRanges} from './filters.js'
import {type Plan, type PlanEntry, type Policy, selectable} from './plan.js'
import type {UsageScope} from './usage.js'

/** The prompts of `taskonaut prune`; each answer also has a flag (see the command). */

export interface FamilyInfo {
  family: string
  active: number
  inactive: number
  /** Prunable before the usage check (beyond the newest N, not LATEST). */
  eligible: number
}

export async function askFamily(infos: FamilyInfo[]): Promise<string> {
  const choices: Choice<string>[] = infos.map((i) => ({
    description: `${i.active} ACTIVE, ${i.inactive} INACTIVE; eligible counted before the usage check`,
    name: `${i.family}  (${i.active + i.inactive} revision${i.active + i.inactive === 1 ? '' : 's'}) [${i.eligible} eligible]`,
    value: i.family,
  }))
  return prompts.search('Task definition family to prune (type to search)', choices)
}

/**
 * Where to look for services and tasks. EventBridge rule targets are read whatever the answer
 * (they cost a few calls and name revisions that schedules will start later). `back` offers
 * "← Back" (to the family step), only when there is a step to go back to.
 */
export async function askScope(clusterNames: string[], opts: {back: boolean}): Promise<UsageScope | typeof BACK> {
  for (;;) {
    const choices: Choice<'all' | 'clusters' | 'none' | typeof BACK>[] = [
      {name: `Every cluster in the region (${clusterNames.length})  --  recommended`, value: 'all'},
      {name: 'Only the clusters I choose', value: 'clusters'},
      {name: 'No cluster: only LATEST, KEEP and rule targets protect (risky)', value: 'none'},
    ]
    if (opts.back) choices.push({name: '← Back', value: BACK})
    const kind = await prompts.select('Where should services and tasks be checked for usage (EventBridge rule targets are always checked)?', choices)
    if (kind === BACK) return BACK
    if (kind === 'all') return {kind: 'all'}
    if (kind === 'none') {
      const sure = await prompts.confirm('Without the cluster check, a revision a service or task still runs may be deleted. Continue?', false)
      if (sure) return {kind: 'none'}
      continue
    }

    const picked = await prompts.checkbox(
      'Clusters to check',
      clusterNames.map((name) => ({key: name, name, value: name})),
      {summarize: (names) => `${names.length}: ${names.join(', ') || 'none'}`},
    )
    if (picked.length > 0) return {clusters: picked, kind: 'clusters'}
  }
}

export interface SelectionContext {
  /** Re-plans the family with another policy (keep stays). */
  replan: (policy: Omit<Policy, 'keep'>) => Plan
  /** Reads registration dates (DescribeTaskDefinition) of the revisions an age filter could select. */
  loadDates: () => Promise<void>
  /** Offer "← Back" (to the scope or family step): only when there is a step to go back to. */
  back: boolean
  /** The revisions the checkbox lets a person tick (plan.ts pickableRevisions). */
  pickable: ReadonlySet<number>
}

const selectedSet = (plan: Plan) => new Set(plan.entries.filter((e) => e.selected).map((e) => e.revision))

/**
 * Bulk options first, so 500+ revisions never need ticking one by one: all eligible beyond the
 * newest N, older than a duration, a revision range; then the checkbox, pre-checked with the
 * bulk choice, for adjustments (KEEP revisions can be ticked there, LATEST and IN-USE cannot).
 */
export async function askSelection(plan: Plan, ctx: SelectionContext): Promise<Set<number> | typeof BACK> {
  const preselected = selectedSet(plan)
  for (;;) {
    const options: Choice<'default' | 'older' | 'range' | 'pick' | typeof BACK>[] = [
      {name: `All eligible beyond the newest ${plan.keep} (${preselected.size}: ${compactRanges(preselected) || 'none'})`, value: 'default'},
      {name: 'Those older than… (e.g. 90d)', value: 'older'},
      {name: 'A revision range… (e.g. 1-400)', value: 'range'},
      {name: 'Pick them one by one', value: 'pick'},
    ]
    if (ctx.back) options.push({name: '← Back', value: BACK})
    const how = await prompts.select(`Which revisions of ${plan.family}?`, options)
    if (how === BACK) return BACK
    let chosen = preselected
    if (how === 'older') {
      const text = await prompts.input('Older than (days, weeks or hours: e.g. 90d, 12w)', {validate: (v) => validity(() => parseDuration(v))})
      await ctx.loadDates()
      chosen = selectedSet(ctx.replan({olderThanMs: parseDuration(text)}))
    } else if (how === 'range') {
      const text = await prompts.input('Revisions (e.g. 1-400 or 1-400,410)', {validate: (v) => validity(() => parseRanges(v))})
      chosen = selectedSet(ctx.replan({ranges: parseRanges(text)}))
    }

    if (how !== 'pick') {
      const next = await prompts.select<'ok' | 'adjust' | typeof BACK>(`${chosen.size} revisions selected: ${compactRanges(chosen) || 'none'}`, [
        {name: 'Continue to the dry run', value: 'ok'},
        {name: 'Adjust one by one', value: 'adjust'},
        {name: '← Back', value: BACK},
      ])
      if (next === BACK) continue
      if (next === 'ok') return chosen
    }

    return pickRevisions(ctx, ctx.replan({explicit: chosen}), chosen)
  }
}

/**
 * The checkbox: LATEST and IN-USE rows, and rows the mode flags rule out (--inactive-only,
 * --deregister-only), are shown but cannot be ticked. KEEP rows can be, but only one by one
 * ("all" leaves them alone); the dry run then warns about them.
 */
async function pickRevisions(ctx: SelectionContext, plan: Plan, checked: Set<number>): Promise<Set<number>> {
  const {pickable} = ctx
  const keep = new Set(plan.entries.filter((e) => e.badge === 'KEEP').map((e) => e.revision))
  const choices: CheckboxChoice<number>[] = plan.entries.map((e) => {
    const date = e.registeredAt ? `  ${e.registeredAt.toISOString().slice(0, 10)}` : ''
    const canPick = pickable.has(e.revision)
    return {
      checked: canPick && checked.has(e.revision),
      disabled: canPick ? false : whyNotPickable(e),
      guarded: e.badge === 'KEEP',
      key: String(e.revision),
      name: `${String(e.revision).padStart(6)}  ${e.badge.padEnd(8)}${date}`.trimEnd(),
      value: e.revision,
    }
  })
  const summarize = (revisions: number[]) => {
    const kept = revisions.filter((r) => keep.has(r)).length
    return `${revisions.length} selected: ${shorten(compactRanges(revisions) || 'none')}${kept > 0 ? ` (${kept} KEEP ticked by hand)` : ''}`
  }

  return new Set(await prompts.checkbox(`Revisions of ${plan.family} to prune`, choices, {pageSize: 20, summarize}))
}

function whyNotPickable(e: PlanEntry): string {
  if (e.usedBy) return `in use: ${e.usedBy[0]}`
  if (!selectable(e.badge, true)) return 'protected'
  return e.status === 'ACTIVE' ? 'left out: --inactive-only deregisters nothing' : 'left out: --deregister-only deletes nothing'
}

/** A long list of ranges cut to one line; the dry run that follows lists them all. */
function shorten(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, text.lastIndexOf(',', max))}, …`
}

/** Type-to-confirm, then a last yes/no. */
export async function confirmPrune(word: string, what: string): Promise<boolean> {
  await prompts.input(`Type "${word}" to confirm (Ctrl-C cancels)`, {validate: (v) => v.trim() === word || `Type exactly: ${word}`})
  return prompts.confirm(`${what} This cannot be undone. Go ahead?`, false)
}

function validity(check: () => unknown): true | string {
  try {
    check()
    return true
  } catch (error) {
    return (error as Error).message
  }
}
