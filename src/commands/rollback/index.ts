import type {ECSClient, TaskDefinition} from '@aws-sdk/client-ecs'
import {Errors, Flags} from '@oclif/core'

import {EXIT, type Explained} from '../../lib/aws/errors.js'
import {BaseCommand} from '../../lib/base-command.js'
import {familyRevision, shortName} from '../../lib/ecs/names.js'
import {clusterFlag, serviceFlag, yesFlag} from '../../lib/flags.js'
import {type Assessment, describeProgress} from '../../lib/rollback/assess.js'
import {startRollback, type Started} from '../../lib/rollback/deploy.js'
import type {TaskDefinitionDiff} from '../../lib/rollback/diff.js'
import {type Chosen, chooseRollback} from '../../lib/rollback/flow.js'
import {formatDuration, parseDuration} from '../../lib/text/duration.js'
import {clusterOfServiceArn} from '../../lib/rollback/lookup.js'
import {type Confirmation, confirmRollback} from '../../lib/rollback/pick.js'
import {BASIS, type PreviousRevision} from '../../lib/rollback/records.js'
import {renderDiff} from '../../lib/rollback/render.js'
import {parseTarget, type TargetSpec, TargetSyntaxError} from '../../lib/rollback/target.js'
import {keepWatchingCommand, watchDeployment, type WatchOutcome} from '../../lib/rollback/watch.js'
import {terminal} from '../../lib/ui/terminal.js'

const DEFAULT_TIMEOUT = '10m'

export interface RollbackResult {
  cluster: string
  service: string
  from: {arn?: string; revision?: number}
  to: {arn?: string; revision?: number; basis?: string}
  result: 'already-current' | 'cancelled' | 'dry-run' | 'failed' | 'interrupted' | 'started' | 'succeeded' | 'timeout'
  preview?: TaskDefinitionDiff
  deployment?: {id?: string; arn?: string; marked: boolean; markError?: string}
  watch?: {state: WatchOutcome['state']; elapsedMs: number; polls: number; reason?: string; rolledBack?: boolean; progress?: Assessment['progress']}
  message?: string
}

/** A failed rollback: the error, plus the whole document for --json. */
class RollbackFailure extends Errors.CLIError {
  constructor(
    explained: Explained,
    readonly document: RollbackResult,
  ) {
    super(explained.message, {exit: explained.exit, suggestions: explained.suggestions})
  }
}

export default class Rollback extends BaseCommand<typeof Rollback> {
  static description = `In a terminal: pick the cluster, the service and the revision from lists (type to search, "← Back" to return), read what changes, confirm, and watch the deployment to its end. Each flag given skips its question; without a terminal every value comes from flags and --yes is required.
The preview compares the running revision with the target: cpu, memory, roles, network mode, compatibilities, platform; per container the image (registry, repository, tag, digest), cpu and memory, environment, secrets (names and where they point, never values), ports, command, entry point, essential flag and health check, and any other setting that differs.
Watching follows DescribeServices and ECS's deployment records: success needs the PRIMARY deployment on the target revision and COMPLETED; a failed rollout or a circuit-breaker rollback is a failure with ECS's reason. Ctrl-C stops watching, never the deployment.
Exit codes: 0 rolled back (or already on that revision, or --dry-run), 1 failed, timed out or refused, 2 usage (a bad flag value, an unknown cluster or service), 130 cancelled or stopped watching.`
  static enableJsonFlag = true
  static examples = [
    '<%= config.bin %> rollback',
    '<%= config.bin %> rollback --cluster prod --service web --to-revision 243 --yes --wait',
    '<%= config.bin %> rollback --cluster prod --service web --previous --dry-run',
    '<%= config.bin %> rollback --cluster prod --service web --to web:243 --yes --wait --timeout 15m --json',
  ]
  static flags = {
    cluster: clusterFlag,
    'dry-run': Flags.boolean({description: 'Show the preview and change nothing'}),
    previous: Flags.boolean({
      description: "Roll back to the revision the service ran before its current deployment (ECS's records; else the next older ACTIVE revision)",
      exclusive: ['to', 'to-revision'],
    }),
    service: serviceFlag,
    timeout: Flags.string({description: `How long --wait watches, e.g. 90s, 10m, 1h [default: ${DEFAULT_TIMEOUT}]`}),
    to: Flags.string({description: 'Target as family:revision, a task definition ARN, or a revision number', exclusive: ['to-revision', 'previous']}),
    'to-revision': Flags.integer({description: "Target revision number of the service's family", exclusive: ['to', 'previous'], min: 1}),
    wait: Flags.boolean({description: 'Watch the deployment until it completes, fails or --timeout passes (always on when taskonaut asked a question)'}),
    ...yesFlag,
  }
  static summary = 'Roll a service back to an earlier task definition revision, with a preview, and watch it land'

  async run(): Promise<RollbackResult> {
    const {flags} = this
    let spec: TargetSpec | undefined
    try {
      spec = parseTarget(flags)
    } catch (error) {
      if (error instanceof TargetSyntaxError) this.error(error.message, {exit: EXIT.USAGE})
      throw error
    }

    const timeout = parseDuration(flags.timeout ?? DEFAULT_TIMEOUT)
    if (timeout === undefined) {
      this.error(`--timeout "${flags.timeout}" is not a duration.`, {exit: EXIT.USAGE, suggestions: ['Use e.g. 90s, 10m or 1h.']})
    }

    if (timeout <= 0) this.error(`--timeout must be longer than 0 (got "${flags.timeout}").`, {exit: EXIT.USAGE, suggestions: ['Use e.g. 90s, 10m or 1h.']})
    // Silently ignoring --timeout would let a script believe it waited for the deployment.
    if (flags.timeout !== undefined && !this.willWatch(spec)) {
      this.error('--timeout applies only while watching the deployment, and this run does not watch it.', {
        exit: EXIT.USAGE,
        suggestions: ['Add --wait to watch it (for up to --timeout), or leave --timeout out.'],
      })
    }

    this.timeoutMs = timeout
    const ecs = await (await this.clients()).ecs()
    return this.flow(ecs, spec)
  }

  /**
   * Whether this run would watch a deployment: with --wait (also on a dry run of that command
   * line), or when it asks a question (the interactive flow always watches). Known before any
   * AWS call.
   */
  private willWatch(spec: TargetSpec | undefined): boolean {
    const {flags} = this
    if (flags.wait) return true
    if (flags['dry-run']) return false
    const everythingGiven = Boolean((flags.cluster ?? clusterOfServiceArn(flags.service)) && flags.service && spec && flags.yes)
    return this.canPrompt() && !everythingGiven
  }

  /** The interactive walk (lib/rollback/flow.ts), then what its end calls for. */
  private async flow(ecs: ECSClient, spec: TargetSpec | undefined): Promise<RollbackResult> {
    const {flags} = this
    const choice = await chooseRollback(
      ecs,
      {
        ask: (flag, what, question) => {
          if (!this.canPrompt()) this.missingFlag(flag, what)
          this.askedSomething = true
          return question()
        },
        confirm: (from, to) => this.confirm(from, to),
        fail: (explained) => this.fail(explained),
        quietEcs: async () => (await this.clients()).ecs({maxAttempts: 1, retryMode: 'standard'}),
        showPreview: (chosen) => this.showPreview(documentOf(chosen), chosen.basis),
      },
      {cluster: flags.cluster ?? clusterOfServiceArn(flags.service), command: `${this.config.bin} rollback`, dryRun: flags['dry-run'], service: flags.service, spec},
    )
    if (choice.kind === 'already') {
      const message = `${choice.service.serviceName} is already on revision ${choice.revision}: nothing to do.`
      this.say(message)
      return {...baseOf(choice), message, result: 'already-current', to: {arn: choice.current.taskDefinitionArn, revision: choice.revision}}
    }

    const document = documentOf(choice)
    if (choice.answer === 'dry-run') {
      this.say('Dry run: nothing was changed.')
      return document
    }

    if (choice.answer === 'no') {
      this.logToStderr('Cancelled. Nothing was changed.')
      process.exitCode = EXIT.CANCELLED
      return {...document, result: 'cancelled'}
    }

    return this.execute(ecs, document, choice.target)
  }

  /** Set once a question was asked: the interactive flow always watches (a fully flagged run watches with --wait). */
  private askedSomething = false
  /** --timeout (or DEFAULT_TIMEOUT) in milliseconds: set by run() before anything watches. */
  private timeoutMs!: number
  /** Region and profile in effect, for the AWS CLI commands we print. */
  private where: {profile?: string; region?: string} = {}

  private async confirm(from: number, to: number): Promise<Confirmation> {
    if (this.flags.yes) return 'yes'
    if (this.canPrompt()) {
      this.askedSomething = true
      return confirmRollback(from, to)
    }

    return (await this.confirmOrFail(`Proceed with rollback? (${from} → ${to})`, false)) ? 'yes' : 'no'
  }

  private showPreview(document: RollbackResult, basis: PreviousRevision['basis'] | undefined): void {
    if (this.jsonEnabled()) return
    const {preview} = document
    this.log(`Roll back ${document.service} (cluster ${document.cluster}): ${preview!.from.family}:${document.from.revision} → ${preview!.to.family}:${document.to.revision}`)
    if (basis) this.log(`  target: ${BASIS[basis]}`)
    this.log(renderDiff(preview!, {color: terminal.colorEnabled(this.flags['no-color'])}))
    this.log('')
  }

  private async execute(ecs: ECSClient, document: RollbackResult, target: TaskDefinition): Promise<RollbackResult> {
    const ctx = await this.awsContext()
    this.where = {profile: ctx.profile, region: ctx.region}
    const started: Started = await startRollback(ecs, document.cluster, document.service, target.taskDefinitionArn!)
    document.result = 'started'
    document.deployment = {arn: started.deploymentArn, id: started.deploymentId, markError: started.markError, marked: !started.markError}
    this.say(`Deployment ${started.deploymentId ?? ''} started: ${document.service} → ${familyRevision(target.taskDefinitionArn!)}.`)
    if (started.markError) this.warnLine(`Could not mark the deployment as taskonaut's (${started.markError}); rollback history will not flag it.`)

    if (!this.flags.wait && !this.askedSomething) {
      this.say(`Not watching (pass --wait to). Follow it with: ${this.keepWatching(document)}`)
      return document
    }

    const outcome = await this.watch(ecs, document, target)
    const last = outcome.last
    document.watch = {
      elapsedMs: outcome.elapsedMs,
      polls: outcome.polls,
      progress: last?.progress,
      reason: last?.state === 'failed' ? last.reason : undefined,
      rolledBack: last?.state === 'failed' ? last.rolledBack : undefined,
      state: outcome.state,
    }
    document.result = outcome.state
    const took = formatDuration(outcome.elapsedMs)
    const to = `${familyRevision(target.taskDefinitionArn!)}`
    switch (outcome.state) {
      case 'succeeded': {
        document.message = `Rolled back: ${document.service} runs ${to} (${took}).`
        this.say(document.message)
        return document
      }

      case 'failed': {
        const failed = last as Extract<Assessment, {state: 'failed'}>
        document.message = `Rollback to ${to} failed: ${failed.reason}`
        const now = failed.progress.primary ? `The service's PRIMARY deployment is ${failed.progress.primary}.` : ''
        throw new RollbackFailure(
          {
            exit: EXIT.FAILURE,
            message: document.message,
            suggestions: [`${failed.rolledBack ? 'ECS rolled it back. ' : ''}${now} See \`taskonaut rollback history --cluster ${document.cluster} --service ${document.service}\`.`.trim()],
          },
          document,
        )
      }

      case 'timeout': {
        document.message = `Gave up watching after ${took}: ${last ? describeProgress(last.progress) : 'no answer yet'}. The deployment goes on in ECS.`
        throw new RollbackFailure(
          {exit: EXIT.FAILURE, message: document.message, suggestions: [`Keep watching with: ${this.keepWatching(document)}`]},
          document,
        )
      }

      default: {
        document.message = 'Stopped watching (Ctrl-C). The deployment goes on in ECS.'
        throw new RollbackFailure(
          {exit: EXIT.CANCELLED, message: document.message, suggestions: [`Keep watching with: ${this.keepWatching(document)}`]},
          document,
        )
      }
    }
  }

  private async watch(ecs: ECSClient, document: RollbackResult, target: TaskDefinition): Promise<WatchOutcome> {
    const controller = new AbortController()
    const onSigint = () => controller.abort()
    process.once('SIGINT', onSigint)
    let lastLine = ''
    try {
      this.say(`Watching (Ctrl-C stops watching, not the deployment; timeout ${formatDuration(this.timeoutMs)})…`)
      return await watchDeployment(ecs, {
        cluster: document.cluster,
        deploymentArn: document.deployment?.arn,
        onProgress: (assessment, elapsed) => {
          const line = `${familyRevision(target.taskDefinitionArn!)}: ${describeProgress(assessment.progress)}`
          if (line !== lastLine) this.say(`  [${formatDuration(elapsed)}] ${line}`)
          lastLine = line
        },
        service: document.service,
        signal: controller.signal,
        target: {deploymentId: document.deployment?.id, taskDefinitionArn: target.taskDefinitionArn!},
        timeoutMs: this.timeoutMs,
      })
    } finally {
      process.off('SIGINT', onSigint)
    }
  }

  private keepWatching(document: RollbackResult): string {
    return keepWatchingCommand({
      cluster: document.cluster,
      deploymentArn: document.deployment?.arn,
      ...this.where,
      service: document.service,
    })
  }

  /** Messages go to stderr so stdout holds only the preview (and the JSON document with --json). */
  private say(message: string): void {
    if (!this.jsonEnabled()) this.logToStderr(message)
  }

  private warnLine(message: string): void {
    if (!this.jsonEnabled()) this.logToStderr(`Warning: ${message}`)
  }

  /** With --json a failed rollback still prints one document: the preview, the outcome and the error. */
  protected toErrorJson(err: unknown): any {
    if (err instanceof RollbackFailure) {
      return {...err.document, error: {exit: err.oclif.exit, message: err.message, suggestions: err.suggestions}}
    }

    return super.toErrorJson(err)
  }
}

/** The document's first fields: where, and from which revision. */
function baseOf(where: Pick<Chosen, 'cluster' | 'current' | 'service'>): Pick<RollbackResult, 'cluster' | 'from' | 'service'> {
  return {cluster: shortName(where.cluster), from: {arn: where.current.taskDefinitionArn, revision: where.current.revision}, service: where.service.serviceName ?? ''}
}

/** The document of a chosen target, as a dry run shows it (the run fills in the rest). */
function documentOf(chosen: Chosen): RollbackResult {
  return {...baseOf(chosen), preview: chosen.preview, result: 'dry-run', to: {arn: chosen.target.taskDefinitionArn, basis: chosen.basis, revision: chosen.target.revision}}
}
