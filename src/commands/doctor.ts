import {Errors} from '@oclif/core'

import {BaseCommand} from '../lib/base-command.js'
import {listProfiles} from '../lib/aws/profiles.js'
import {
  checkCredentials,
  checkEcs,
  checkNode,
  checkRegion,
  checkSessionManagerPlugin,
  checkSso,
  type CheckResult,
} from '../lib/doctor/checks.js'
import {configFile} from '../lib/config/paths.js'
import {EXIT} from '../lib/aws/errors.js'

export interface DoctorResult {
  ok: boolean
  checks: CheckResult[]
}

export default class Doctor extends BaseCommand<typeof Doctor> {
  static description = `Checks, in order: Node.js version, the settings file, the AWS profile, the region, that credentials resolve (STS GetCallerIdentity: account and ARN), the SSO session and its expiry (SSO profiles), that ECS answers (ListClusters), and the session-manager-plugin (exec).
Exits 1 when a required check fails. The AWS CLI is not needed by taskonaut.`
  static enableJsonFlag = true
  static examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --profile acme.prod --region eu-west-1', '<%= config.bin %> doctor --json']
  static summary = "Diagnose this machine's setup for taskonaut"

  async run(): Promise<DoctorResult> {
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

    const context = await this.awsContext().catch((error: Error) => error)
    if (context instanceof Error) {
      const cli = context instanceof Errors.CLIError ? context : undefined
      add({detail: context.message, hint: cli?.suggestions?.join(' ') ?? 'Pass --profile and --region.', name: 'Profile and region', ok: false, required: true})
    } else {
      const profiles = await listProfiles()
      const profile = profiles.find((p) => p.name === (context.profile ?? 'default'))
      add({
        detail: context.profile ? `${context.profile} (${profile?.kind ?? 'unknown'})` : profile ? 'default' : 'none: environment, container or instance credentials',
        name: 'Profile',
        ok: true,
        required: true,
      })
      add(checkRegion(context))
      add(await checkSso(profile))
      const clients = await this.clients()
      const credentials = await checkCredentials(clients)
      add(credentials)
      // Without credentials ECS cannot answer; say so once instead of twice.
      add(credentials.ok ? await checkEcs(clients) : {detail: 'skipped: no working credentials', name: 'ECS', ok: false, required: true})
    }

    add(await checkSessionManagerPlugin())
    if (!this.jsonEnabled()) this.log('ℹ️  The AWS CLI is not required by taskonaut.')

    const ok = checks.every((c) => c.ok || !c.required)
    if (!ok) process.exitCode = EXIT.FAILURE
    return {checks, ok}
  }
}

function render(check: CheckResult): string {
  const mark = check.ok ? '✅' : check.required ? '❌' : '⚠️ '
  return `${mark} ${check.name}: ${check.detail}${!check.ok && check.hint ? `\n   → ${check.hint}` : ''}`
}
