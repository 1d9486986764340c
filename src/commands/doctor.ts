import {Errors, Flags} from '@oclif/core'

import {BaseCommand} from '../lib/base-command.js'
import type {ProfileInfo} from '../lib/aws/profiles.js'
import {
  checkCredentials,
  checkEcs,
  checkNode,
  checkRegion,
  checkSessionManagerPlugin,
  checkSso,
  type CheckResult,
  preflightChecks,
} from '../lib/doctor/checks.js'
import {preflight} from '../lib/exec/preflight.js'
import {findPlugin} from '../lib/exec/plugin.js'
import {clusterFromTaskArn, findTask} from '../lib/exec/resolve.js'
import {clusterFlag} from '../lib/flags.js'
import {configFile} from '../lib/config/paths.js'
import {EXIT, type ExplainedError} from '../lib/aws/errors.js'

export interface DoctorResult {
  ok: boolean
  checks: CheckResult[]
  notes: string[]
}

const NOTES = ['The AWS CLI is not required by taskonaut (only `aws sso login`, which starts an SSO session, is an AWS CLI command).']

const skipped = (name: string, why: string): CheckResult => ({detail: `skipped: ${why}`, name, ok: false, required: true})

export default class Doctor extends BaseCommand<typeof Doctor> {
  static description = `Checks, in order: Node.js version, the settings file, the AWS profile, the region, that credentials resolve (STS GetCallerIdentity: account and ARN), the SSO session and its expiry (SSO profiles), that ECS answers (ListClusters), and the session-manager-plugin (exec).
With --task (and --cluster, unless the task is given as an ARN, which names its cluster), also runs exec's preflight on that task (running, exec enabled, containers and their ExecuteCommandAgent) and reports every item.
Exits 1 when a required check fails. The AWS CLI is not needed by taskonaut.`
  static enableJsonFlag = true
  static examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor --profile acme.prod --region eu-west-1',
    '<%= config.bin %> doctor --cluster prod --task 3f2a9c1d',
    '<%= config.bin %> doctor --json',
  ]
  static flags = {
    cluster: clusterFlag,
    container: Flags.string({dependsOn: ['task'], description: 'With --task: check only this container'}),
    task: Flags.string({char: 't', description: 'Run the exec preflight on this task (id, ARN or unique prefix); needs --cluster unless it is an ARN, which names the cluster'}),
  }
  static summary = "Diagnose this machine's setup for taskonaut"

  async run(): Promise<DoctorResult> {
    // As exec does: a task ARN names its cluster. Checked first, before any AWS call.
    const cluster = this.flags.cluster ?? (this.flags.task ? clusterFromTaskArn(this.flags.task) : undefined)
    if (this.flags.task && !cluster) {
      this.error(`--task ${this.flags.task} needs --cluster (only a task ARN names its cluster).`, {
        exit: EXIT.USAGE,
        suggestions: [`Pass --cluster, or the task's full ARN: taskonaut doctor --cluster <cluster> --task ${this.flags.task}`],
      })
    }

    const checks: CheckResult[] = [checkNode()]
    const add = (check: CheckResult | undefined) => {
      if (!check) return
      checks.push(check)
      if (!this.jsonEnabled()) this.log(render(check))
    }

    if (!this.jsonEnabled()) this.log(render(checks[0]))

    const settings = await this.settings().then(
      () => ({detail: configFile(), name: 'Settings file', ok: true, required: true}),
      (error: Error) => ({detail: error.message, hint: 'Fix or remove it: taskonaut config cleanup', name: 'Settings file', ok: false, required: true}),
    )
    add(settings)

    const context = settings.ok ? await this.awsContext().catch((error: Error) => error) : undefined
    if (!context) {
      // The settings feed the profile and region: one ❌ for the file, the rest skipped.
      for (const name of ['Profile and region', 'Credentials', 'ECS']) add(skipped(name, 'fix the settings file first'))
    } else if (context instanceof Error) {
      // A CLIError from BaseCommand's checks, or an ExplainedError (an unreadable AWS file).
      const suggestions = (context as Partial<ExplainedError>).explained?.suggestions ?? (context instanceof Errors.CLIError ? context.suggestions : undefined)
      add({detail: context.message, hint: suggestions?.join(' ') ?? 'Pass --profile and --region.', name: 'Profile and region', ok: false, required: true})
      for (const name of ['Credentials', 'ECS']) add(skipped(name, 'no usable profile and region'))
    } else {
      const profiles = await this.awsProfiles() // as read for the context
      const profile = profiles.find((p) => p.name === (context.profile ?? 'default'))
      add({detail: profileDetail(context.profile, profile), name: 'Profile', ok: true, required: true})
      add(checkRegion(context))
      // An assume-role profile on SSO: the session that matters is its SSO source profile's.
      add(await checkSso(profiles.find((p) => p.name === context.ssoProfile) ?? profile))
      const clients = await this.clients()
      const credentials = await checkCredentials(clients)
      add(credentials)
      // Without credentials ECS cannot answer; say so once instead of twice.
      const ecs = credentials.ok ? await checkEcs(clients) : skipped('ECS', 'no working credentials')
      add(ecs)
      if (ecs.ok && cluster && this.flags.task) for (const check of await this.execPreflight(clients, cluster, this.flags.task)) add(check)
    }

    add(await checkSessionManagerPlugin())
    for (const note of NOTES) this.log(`ℹ️  ${note}`)

    const ok = checks.every((c) => c.ok || !c.required)
    if (!ok) process.exitCode = EXIT.FAILURE
    return {checks, notes: NOTES, ok}
  }

  private async execPreflight(clients: Awaited<ReturnType<Doctor['clients']>>, cluster: string, ref: string): Promise<CheckResult[]> {
    const {container} = this.flags
    try {
      const task = await findTask(await clients.ecs(), cluster, ref)
      const usePlugin = Boolean((await this.settings()).usePlugin)
      return preflightChecks(preflight({cluster, container, needsPlugin: usePlugin, pluginPath: usePlugin ? await findPlugin() : undefined, task}))
    } catch (error: any) {
      const explained = error.explained ?? {message: error.message, suggestions: []}
      return [{detail: explained.message, hint: explained.suggestions.join(' '), name: `exec: task ${ref}`, ok: false, required: true}]
    }
  }
}

/** Which profile the SDK's chain will use. Without one named, environment keys come before the default profile. */
function profileDetail(named: string | undefined, info: ProfileInfo | undefined): string {
  if (named) return `${named} (${info?.kind ?? 'unknown'})`
  if (process.env.AWS_ACCESS_KEY_ID) return `none named: the environment credentials (AWS_ACCESS_KEY_ID) come first${info ? ', before the default profile' : ''}`
  return info ? `default (${info.kind})` : 'none: environment, container or instance credentials'
}

function render(check: CheckResult): string {
  const mark = check.ok ? '✅' : check.required ? '❌' : '⚠️ '
  return `${mark} ${check.name}${check.detail ? `: ${check.detail}` : ''}${!check.ok && check.hint ? `\n   → ${check.hint}` : ''}`
}
