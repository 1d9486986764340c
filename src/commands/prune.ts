import {setMaxListeners} from 'node:events'
import {Flags} from '@oclif/core'

import {EXIT} from '../lib/aws/errors.js'
import {BaseCommand} from '../lib/base-command.js'
import {describeClusters, listClusterArns} from '../lib/ecs/clusters.js'
import {shortName} from '../lib/ecs/names.js'
import {unknownCluster} from '../lib/ecs/lookup.js'
import {listFamilies} from '../lib/ecs/task-definitions.js'
import {yesFlag} from '../lib/flags.js'
import {addAgeFilterDates, type Analysis, analyze, familyInfos} from '../lib/prune/analyze.js'
import {EcsBuckets, timeScaleFromEnv} from '../lib/ecs/buckets.js'
import {type PruneJson, pruneDocument, resultDocument} from '../lib/prune/document.js'
import {executePrune, type ExecuteResult, exitCodeOf} from '../lib/prune/execute.js'
import {parseDuration, parseRanges} from '../lib/prune/filters.js'
import {askFamily, askScope, askSelection, confirmPrune} from '../lib/prune/interactive.js'
import {pacedEcs} from '../lib/ecs/paced-client.js'
import {pickableRevisions, planFamily, type Policy, workOf} from '../lib/prune/plan.js'
import {countProgress, withProgress} from '../lib/prune/progress.js'
import {renderAnalysis, renderResults, renderSummary} from '../lib/prune/render.js'
import type {Unreadable, UsageScope} from '../lib/prune/usage.js'
import {closeMatches, orList} from '../lib/text/similar.js'
import {BACK} from '../lib/ui/prompts.js'
import {terminal} from '../lib/ui/terminal.js'

export type {PruneJson} from '../lib/prune/document.js'

export default class Prune extends BaseCommand<typeof Prune> {
  static description = `Deregisters and deletes old task definition revisions, never touching the ones that matter:
LATEST (the newest ACTIVE revision), IN-USE (named by any deployment or task set of any service, any task not yet STOPPED, in every cluster of the region unless --cluster narrows it, or an EventBridge rule target) and KEEP (the newest --keep ACTIVE revisions, LATEST included: what a rollback can still use).
ACTIVE revisions are deregistered, then deleted; INACTIVE ones are deleted. Deletions start as soon as ten revisions are INACTIVE, and the pace follows ECS's documented throttling budgets.
In a terminal, every step not given by a flag is asked: family, usage scope, selection (with bulk options), dry run, type the family name, confirm. With --yes nothing is asked, in a terminal too (so --family or --all-families is needed; without --cluster usage is checked in every cluster); --dry-run with --family or --all-families asks nothing either. Without a terminal, --family (or --all-families) and --yes (or --dry-run) are needed.
Exit codes: 0 done (or nothing to prune), 1 failed, 2 usage error, 3 partly done (some revisions failed, see the list), 130 cancelled (Ctrl-C during the run stops after the calls in flight: what was done is listed; run it again to finish).`
  static enableJsonFlag = true
  static examples = [
    {command: '<%= config.bin %> prune', description: 'Interactive: pick a family, check usage, choose revisions, confirm'},
    {command: '<%= config.bin %> prune --family web --keep 5 --dry-run', description: 'Show the plan, change nothing'},
    {command: '<%= config.bin %> prune --family web --keep 5 --yes', description: 'Unattended: prune everything beyond the newest 5'},
    {command: '<%= config.bin %> prune --family web --older-than 90d --deregister-only --yes', description: 'Deregister revisions older than 90 days, delete nothing'},
    {command: '<%= config.bin %> prune --family web --inactive-only --yes --json', description: 'Delete already-INACTIVE revisions, JSON result'},
    {command: '<%= config.bin %> prune --all-families --cluster prod --cluster staging --dry-run', description: 'Every family, usage checked in two clusters only'},
  ]
  static flags = {
    ...yesFlag,
    'accept-unreadable-usage': Flags.boolean({
      description: 'Go on when a usage source cannot be read (AccessDenied); revisions only that source uses may be pruned',
    }),
    'all-clusters': Flags.boolean({
      description: 'Check usage in every cluster of the region: the default, given as a flag so the terminal does not ask',
      exclusive: ['cluster', 'skip-usage-check'],
    }),
    'all-families': Flags.boolean({description: 'Prune every task definition family', exclusive: ['family']}),
    cluster: Flags.string({
      char: 'c',
      description: 'Check usage only in this cluster (repeatable) [default: every cluster in the region]',
      multiple: true,
    }),
    'deregister-only': Flags.boolean({description: 'Deregister ACTIVE revisions, delete nothing', exclusive: ['inactive-only']}),
    'dry-run': Flags.boolean({description: 'Print the plan and change nothing'}),
    family: Flags.string({char: 'f', description: 'Task definition family (repeatable)', multiple: true}),
    'inactive-only': Flags.boolean({description: 'Only delete revisions that are already INACTIVE; deregister nothing'}),
    keep: Flags.integer({default: 5, description: 'Keep the newest N ACTIVE revisions (LATEST counts as one)', min: 1}),
    'older-than': Flags.string({
      description: 'Only revisions registered longer ago than this, in days, weeks or hours: 90d, 12w, 36h (no minutes or months: "6m" is refused as ambiguous, write 180d)',
    }),
    revisions: Flags.string({description: 'Only these revision numbers: 1-400, or 1-400,410'}),
    'skip-usage-check': Flags.boolean({
      description: 'Do not look in any cluster for services and tasks using the revisions (risky: only LATEST, KEEP and EventBridge rule targets protect)',
      exclusive: ['cluster'],
    }),
  }
  static summary = 'Deregister and delete old task definition revisions, safely'

  async run(): Promise<PruneJson> {
    const {flags} = this
    const canPrompt = this.canPrompt()
    const familiesGiven = Boolean(flags.family || flags['all-families'])
    // Nothing is asked with --yes, even in a terminal, nor for a dry run of families given as
    // flags: the flags then define the whole plan (a scope not given is every cluster).
    const ask = canPrompt && !flags.yes && !(flags['dry-run'] && familiesGiven)
    // Fail before any AWS call when the run could never be confirmed.
    if (!canPrompt && !flags['dry-run'] && !flags.yes) {
      this.error('Pruning changes AWS resources and needs confirmation, but prompting is off.', {
        exit: EXIT.USAGE,
        suggestions: ['Pass --yes to confirm (or --dry-run to only see the plan), or run it in a terminal.'],
      })
    }

    if (!ask && !familiesGiven) {
      if (!canPrompt) this.missingFlag('family', 'a task definition family (or --all-families)')
      this.error('Missing --family: with --yes nothing is asked, so the family must be given.', {
        exit: EXIT.USAGE,
        suggestions: ['Pass --family (or --all-families), or leave out --yes to pick the family in the terminal.'],
      })
    }

    const olderThanMs = this.parseFlag('older-than', flags['older-than'], parseDuration)
    const ranges = this.parseFlag('revisions', flags.revisions, parseRanges)
    const clients = await this.clients()
    const controller = new AbortController()
    // Every call in flight listens on this signal (Ctrl-C): far more than Node's default of 10.
    setMaxListeners(0, controller.signal)
    const ecs = pacedEcs(await clients.ecs({maxAttempts: 1, retryMode: 'standard'}), {buckets: new EcsBuckets(timeScaleFromEnv()), signal: controller.signal})
    const events = () => clients.eventBridge()
    const policy: Policy = {
      deregisterOnly: flags['deregister-only'],
      inactiveOnly: flags['inactive-only'],
      keep: flags.keep,
      olderThanMs,
      ranges,
    }

    const knownFamilies = await listFamilies(ecs, 'ALL')
    let families = flags['all-families'] ? knownFamilies : (flags.family ?? [])
    for (const family of families) {
      if (!knownFamilies.includes(family)) {
        const close = closeMatches(family, knownFamilies)
        this.error(`No task definition family "${family}" in ${clients.context.region}.`, {
          exit: EXIT.USAGE,
          suggestions: [close.length > 0 ? `Did you mean ${orList(close)}?` : 'List them with `aws ecs list-task-definition-families`.'],
        })
      }
    }

    const fixedScope = await this.scopeFromFlags(ecs)
    let scope: UsageScope = fixedScope ?? {kind: 'all'}
    let analysis: Analysis | undefined
    const familiesFlagged = families.length > 0
    // The interactive steps, with "← Back" where there is a step to go back to.
    let step: 'family' | 'scope' | 'analyze' | 'select' | 'done' = familiesFlagged ? 'scope' : 'family'
    while (step !== 'done') {
      if (step === 'family') {
        if (knownFamilies.length === 0) this.error(`No task definition families in ${clients.context.region}.`, {exit: EXIT.FAILURE, suggestions: ['Check --region and --profile.']})
        this.logToStderr(`Counting revisions of ${knownFamilies.length} families…`)
        families = [await askFamily(await familyInfos(ecs, knownFamilies, flags.keep))]
        step = 'scope'
      } else if (step === 'scope') {
        if (fixedScope || !ask) step = 'analyze'
        else {
          const asked = await askScope((await listClusterArns(ecs)).map((arn) => shortName(arn)), {back: !familiesFlagged})
          if (asked === BACK) step = 'family'
          else {
            scope = asked
            step = 'analyze'
          }
        }
      } else if (step === 'analyze') {
        this.logToStderr(`Reading revisions of ${families.length === 1 ? families[0] : `${families.length} families`} and checking usage (${scopeLabel(scope)})…`)
        analysis = await analyze(ecs, events, {families, onDates: this.dateProgress(), policy, scope, signal: controller.signal})
        this.checkUnreadable(analysis.scan.unreadable)
        if (!this.jsonEnabled()) for (const plan of analysis.plans) this.log([...renderAnalysis(plan, {color: terminal.colorEnabled()}), ''].join('\n'))
        // Nothing a person could tick (all protected, or ruled out by the mode): nothing to ask.
        step = ask && families.length === 1 && pickableRevisions(families[0], analysis.revisions.get(families[0]) ?? [], analysis.scan.usage, policy).size > 0 ? 'select' : 'done'
      } else {
        const a = analysis!
        const family = families[0]
        const revisions = a.revisions.get(family) ?? []
        const backTo = fixedScope ? (familiesFlagged ? undefined : 'family') : 'scope'
        const chosen = await askSelection(a.plans[0], {
          back: backTo !== undefined,
          // a.revisions holds this one family only (a selection is asked for a single family).
          loadDates: () => addAgeFilterDates(ecs, a.revisions, a.scan.usage, policy, {onDates: this.dateProgress(), signal: controller.signal}),
          pickable: pickableRevisions(family, revisions, a.scan.usage, policy),
          replan: (p) => planFamily(family, revisions, a.scan.usage, {...policy, ...p}),
        })
        if (chosen === BACK) step = backTo ?? 'select'
        else {
          a.plans = [planFamily(family, revisions, a.scan.usage, {...policy, explicit: chosen})]
          step = 'done'
        }
      }
    }

    const {plans, scan} = analysis!
    const doc = pruneDocument(plans, scan, scopeLabel(scope), flags['dry-run'])
    const work = workOf(plans)
    const human = !this.jsonEnabled()
    // "Dry run" only when nothing happens without another yes; before an unattended run it is the plan.
    if (human) this.log([flags['dry-run'] || !flags.yes ? 'Dry run:' : 'Plan:', ...plans.flatMap((p) => renderSummary(p))].join('\n'))
    if (work.deregister.length + work.delete.length === 0) {
      if (human) this.log(`\nNothing to prune: every revision is protected, kept or left out by the filters.`)
      return doc
    }

    if (flags['dry-run']) {
      if (human) this.log('\nDry run: nothing was changed. Run again without --dry-run (and with --yes when not in a terminal) to prune.')
      return doc
    }

    if (!flags.yes) {
      const word = families.length === 1 ? families[0] : 'prune'
      const what = `Deregister ${work.deregister.length} and permanently delete ${work.delete.length + work.deleteAfterDeregister.size} revisions${families.length === 1 ? ` of ${families[0]}` : ` in ${families.length} families`}?`
      if (!(await confirmPrune(word, what))) {
        this.logToStderr('Cancelled. Nothing was changed.')
        process.exitCode = EXIT.CANCELLED
        return doc
      }
    }

    const result = await this.execute(ecs, work, controller)
    doc.result = resultDocument(result)
    if (human) this.log(['', ...renderResults(result)].join('\n'))
    process.exitCode = result.cancelled ? EXIT.CANCELLED : exitCodeOf(result)
    return doc
  }

  /** Reports reading registration dates on stderr: a line saying how many, then progress when there are many. */
  private dateProgress(): (done: number, total: number) => void {
    const progress = countProgress('Registration dates read:', {tty: terminal.stderrIsTTY()})
    return (done, total) => {
      if (done === 0 && total > 0) process.stderr.write(`Reading registration dates of ${total} revision${total === 1 ? '' : 's'} (for the age filter)…\n`)
      progress(done, total)
    }
  }

  /** Ctrl-C during execution: no new calls, in-flight ones finish, then the summary. A second Ctrl-C quits at once. */
  private async execute(ecs: Awaited<ReturnType<typeof pacedEcs>>, work: ReturnType<typeof workOf>, controller: AbortController): Promise<ExecuteResult> {
    const onSigint = () => {
      if (controller.signal.aborted) process.exit(EXIT.CANCELLED)
      process.stderr.write('\nStopping: no new calls; waiting for the ones in flight (Ctrl-C again to quit now)…\n')
      controller.abort()
    }

    process.on('SIGINT', onSigint)
    try {
      return await withProgress((onProgress) => executePrune(ecs, work, {onProgress, signal: controller.signal}), {tty: terminal.stderrIsTTY()})
    } finally {
      process.off('SIGINT', onSigint)
    }
  }

  private async scopeFromFlags(ecs: Awaited<ReturnType<typeof pacedEcs>>): Promise<UsageScope | undefined> {
    const {flags} = this
    if (flags['skip-usage-check']) {
      this.warn('Clusters are not checked for usage (--skip-usage-check): only LATEST, KEEP and EventBridge rule targets are protected.')
      return {kind: 'none'}
    }

    if (flags['all-clusters']) return {kind: 'all'}
    if (!flags.cluster) return undefined
    const found = await describeClusters(ecs, flags.cluster)
    const known = new Set(found.flatMap((c) => [c.clusterName, c.clusterArn]))
    const missing = flags.cluster.filter((c) => !known.has(c))
    if (missing.length > 0) this.fail({...(await unknownCluster(ecs, missing[0])), exit: EXIT.USAGE})
    return {clusters: found.map((c) => c.clusterArn!), kind: 'clusters'}
  }

  /** A malformed duration or range is a usage error naming the flag (exit 2), before any AWS call. */
  private parseFlag<V>(flag: string, value: string | undefined, parse: (text: string) => V): V | undefined {
    if (value === undefined) return undefined
    try {
      return parse(value)
    } catch (error) {
      this.error(`--${flag}: ${(error as Error).message}.`, {exit: EXIT.USAGE, suggestions: [`Fix --${flag} (see --help).`]})
    }
  }

  private checkUnreadable(unreadable: Unreadable[]): void {
    if (unreadable.length === 0) return
    const what = unreadable.map((u) => u.source).join(', ')
    if (this.flags['accept-unreadable-usage']) {
      this.warn(`Could not read ${what} (AccessDenied): revisions only used there are not protected.`)
      return
    }

    this.error(`Cannot tell which revisions are in use: access denied reading ${what}.`, {
      exit: EXIT.FAILURE,
      suggestions: [
        `Grant the read permission (${unreadable[0].message.split('\n')[0]}), or pass --accept-unreadable-usage to go on without that source.`,
      ],
    })
  }
}

function scopeLabel(scope: UsageScope): string {
  if (scope.kind === 'all') return 'every cluster'
  if (scope.kind === 'none') return 'no cluster, EventBridge rule targets only'
  return `clusters ${scope.clusters.map((c) => shortName(c)).join(', ')}`
}
