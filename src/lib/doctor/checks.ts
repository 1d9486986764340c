import {execFile} from 'node:child_process'
import {homedir} from 'node:os'
import {promisify} from 'node:util'

import type {AwsClients} from '../aws/clients.js'
import {type AwsContext, regionSourceName} from '../aws/context.js'
import {explainAwsError, firstLine} from '../aws/errors.js'
import type {ProfileInfo} from '../aws/profiles.js'
import {findPlugin, pluginInstallHint} from '../exec/plugin.js'
import type {PreflightItem} from '../exec/preflight.js'
import {readSsoToken} from './sso-token.js'

export interface CheckResult {
  name: string
  ok: boolean
  /** A failed required check makes doctor exit non-zero. */
  required: boolean
  detail: string
  /** What to do when it failed. */
  hint?: string
}

const pass = (name: string, detail: string, required = true): CheckResult => ({detail, name, ok: true, required})
const failed = (name: string, detail: string, hint: string, required = true): CheckResult => ({detail, hint, name, ok: false, required})

export function checkNode(version = process.versions.node): CheckResult {
  const major = Number(version.split('.')[0])
  if (major >= 22) return pass('Node.js', `v${version}`)
  return major >= 20
    ? pass('Node.js', `v${version} (supported; AWS SDK releases after January 2027 need Node.js 22)`)
    : failed('Node.js', `v${version} is too old`, 'Install Node.js 20 or later (https://nodejs.org).')
}

export function checkRegion(ctx: AwsContext): CheckResult {
  return pass('Region', `${ctx.region} (from ${regionSourceName(ctx)})`)
}

export async function checkCredentials(clients: AwsClients): Promise<CheckResult> {
  const {GetCallerIdentityCommand} = await import('@aws-sdk/client-sts')
  try {
    const sts = await clients.sts()
    const who = await sts.send(new GetCallerIdentityCommand({}))
    return pass('Credentials', `account ${who.Account}, ${who.Arn}`)
  } catch (error: any) {
    const explained = explainAwsError(error, clients.context)
    return failed('Credentials', explained?.message ?? firstLine(error.message), explained?.suggestions.join(' ') ?? 'Check the profile in your AWS config and credentials files, or pass another with --profile.')
  }
}

export async function checkSso(profile: ProfileInfo | undefined, now = new Date(), home = homedir()): Promise<CheckResult | undefined> {
  if (!profile || profile.kind !== 'sso') return undefined
  const token = await readSsoToken(profile, now, home)
  const login = `Run: aws sso login --profile ${profile.name}`
  if (!token || token.state === 'missing') return failed('SSO session', `no cached SSO token for profile "${profile.name}"`, login)
  if (token.state === 'invalid') return failed('SSO session', `the cached token ${token.file} is unreadable`, login)
  const renewal = token.registrationExpiresAt ? ` (until ${token.registrationExpiresAt.toISOString()})` : ''
  if (token.state === 'expired') {
    // The SDK renews it silently with the refresh token: credentials still work.
    if (token.refreshable) return pass('SSO session', `access token expired at ${token.expiresAt!.toISOString()}; the SDK renews it with the cached refresh token${renewal}`)
    return failed('SSO session', `expired at ${token.expiresAt!.toISOString()}`, login)
  }

  return pass('SSO session', `valid until ${token.expiresAt!.toISOString()}${token.refreshable ? `, then renewed with the cached refresh token${renewal}` : ''}`)
}

export async function checkEcs(clients: AwsClients): Promise<CheckResult> {
  const {ListClustersCommand} = await import('@aws-sdk/client-ecs')
  try {
    const ecs = await clients.ecs()
    const out = await ecs.send(new ListClustersCommand({maxResults: 100}))
    const n = out.clusterArns?.length ?? 0
    const where = clients.context.endpoint ?? `ecs.${clients.context.region}.amazonaws.com`
    return pass('ECS', `reachable at ${where}: ${n}${out.nextToken ? '+' : ''} cluster${n === 1 ? '' : 's'}`)
  } catch (error: any) {
    const explained = explainAwsError(error, clients.context)
    return failed('ECS', explained?.message ?? firstLine(error.message), explained?.suggestions.join(' ') ?? 'Check the ecs:ListClusters permission and the region.')
  }
}

/** The plugin is optional: exec speaks the Session Manager protocol itself unless --use-plugin. */
export async function checkSessionManagerPlugin(): Promise<CheckResult> {
  const name = 'session-manager-plugin'
  const path = await findPlugin()
  if (!path) return failed(name, 'not found on PATH (only needed for exec --use-plugin)', pluginInstallHint(), false)
  try {
    const {stdout} = await promisify(execFile)(path, ['--version'], {timeout: 5000})
    // Builds (and stand-ins) that print nothing for --version still run: say so rather than show a blank.
    const version = stdout.trim().split('\n')[0]?.trim()
    return pass(name, `${version ? `version ${version}` : 'version unknown'} at ${path} (used by exec --use-plugin)`, false)
  } catch (error: any) {
    return failed(name, `${path} does not run: ${firstLine(error.message)}`, pluginInstallHint(), false)
  }
}

/** `doctor --cluster c --task t`: exec's own preflight, one check per item. */
export function preflightChecks(items: PreflightItem[]): CheckResult[] {
  return items.map((item) => ({
    detail: item.ok ? (item.detail ?? '') : `no: ${item.detail ?? item.problem}`,
    hint: item.fix,
    name: `exec: ${item.title}`,
    ok: item.ok,
    required: true,
  }))
}
