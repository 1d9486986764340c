import {BACK, type Choice, prompts} from '../ui/prompts.js'
import {compactRanges, parseDuration, parseRanges} from './filters.js'
import {type Plan, type Policy, selectable} from './plan.js'
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

export async function askScope(clusterNames: string[]): Promise<UsageScope | typeof BACK> {
  for (;;) {
    const kind = await prompts.select<'all' | 'clusters' | 'none' | typeof BACK>('Where should usage be checked (services, tasks; EventBridge rules always)?', [
      {name: `Every cluster in the region (${clusterNames.length})  --  recommended`, value: 'all'},
      {name: 'Only the clusters I choose', value: 'clusters'},
      {name: 'Nowhere: only LATEST and KEEP protect (risky)', value: 'none'},
      {name: '← Back', value: BACK},
    ])
    if (kind === BACK) return BACK
    if (kind === 'all') return {kind: 'all'}
    if (kind === 'none') {
      const sure = await prompts.confirm('Without a usage check, a revision a service or task still runs may be deleted. Continue?', false)
      if (sure) return {kind: 'none'}
      continue
    }

    const picked = await prompts.checkbox(
      'Clusters to check',
      clusterNames.map((name) => ({name, value: name})),
    )
    if (picked.length > 0) return {clusters: picked, kind: 'clusters'}
  }
}

export interface SelectionContext {
  /** Re-plans the family with another policy (keep stays). */
  replan: (policy: Omit<Policy, 'keep'>) => Plan
  /** Reads registration dates (DescribeTaskDefinition) of the selectable revisions. */
  loadDates: () => Promise<void>
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
    const how = await prompts.select<'default' | 'older' | 'range' | 'pick' | typeof BACK>(`Which revisions of ${plan.family}?`, [
      {name: `All eligible beyond the newest ${plan.keep} (${preselected.size}: ${compactRanges(preselected) || 'none'})`, value: 'default'},
      {name: 'Those older than… (e.g. 90d)', value: 'older'},
      {name: 'A revision range… (e.g. 1-400)', value: 'range'},
      {name: 'Pick them one by one', value: 'pick'},
      {name: '← Back', value: BACK},
    ])
    if (how === BACK) return BACK
    let chosen = preselected
    if (how === 'older') {
      const text = await prompts.input('Older than (d, w, h or m, e.g. 90d)', {validate: (v) => validity(() => parseDuration(v))})
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

    return pickRevisions(ctx.replan({explicit: chosen}), chosen)
  }
}

async function pickRevisions(plan: Plan, checked: Set<number>): Promise<Set<number>> {
  const choices: Choice<number>[] = plan.entries.map((e) => {
    const canPick = selectable(e.badge, true)
    const date = e.registeredAt ? `  ${e.registeredAt.toISOString().slice(0, 10)}` : ''
    return {
      checked: canPick && checked.has(e.revision),
      disabled: canPick ? false : e.usedBy ? `in use: ${e.usedBy[0]}` : 'protected',
      name: `${String(e.revision).padStart(6)}  ${e.badge.padEnd(8)}${date}`,
      value: e.revision,
    }
  })
  return new Set(await prompts.checkbox(`Revisions of ${plan.family} (space toggles, a toggles all, enter confirms)`, choices, {pageSize: 20}))
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
