import type {Settings} from '../config/store.js'

/** Everything an AWS call needs to know about where and as whom it runs. */
export interface AwsContext {
  /** undefined: the SDK's default chain (environment, default profile, container, instance). */
  profile?: string
  region: string
  /** Where the region came from, for doctor and error messages. */
  regionSource: 'flag' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'config' | 'profile'
  /** Custom ECS endpoint (LocalStack, the local emulator). */
  endpoint?: string
  /** The endpoint came from --endpoint-url, so it serves every service. */
  endpointFromFlag: boolean
  maxAttempts: number
  /** How the chosen profile gets credentials (sso, credential-process...), when the files say. */
  profileKind?: string
  /** The SSO profile the chosen one gets credentials from: itself, or its source_profile chain's. */
  ssoProfile?: string
}

export interface ContextInputs {
  flags: {profile?: string; region?: string; 'endpoint-url'?: string}
  env: NodeJS.ProcessEnv
  settings: Settings
  /** The region written in the chosen profile, looked up lazily. */
  profileRegion: (profile: string | undefined) => string | undefined
}

export class MissingRegionError extends Error {
  constructor(readonly profile?: string) {
    super('No AWS region is set')
    this.name = 'MissingRegionError'
  }
}

export const DEFAULT_MAX_ATTEMPTS = 8

/**
 * The profile by the same precedence as resolveContext (flag, AWS_PROFILE, saved config), and
 * where it came from; undefined: the SDK's default chain. Known before the region, so a
 * misspelt profile is reported as such, not as a missing region.
 */
export function chosenProfile({env, flags, settings}: Omit<ContextInputs, 'profileRegion'>): {name: string; source: 'flag' | 'config'} | undefined {
  const fromFlag = flags.profile || env.AWS_PROFILE
  if (fromFlag) return {name: fromFlag, source: 'flag'}
  return settings.profile ? {name: settings.profile, source: 'config'} : undefined
}

/**
 * Resolves profile, region and endpoint. Precedence, highest first: flag, environment,
 * saved config, the profile's own region. Pure, so the order is tested directly.
 * (oclif has already folded AWS_PROFILE into flags.profile.)
 */
export function resolveContext({env, flags, profileRegion, settings}: ContextInputs): AwsContext {
  const profile = chosenProfile({env, flags, settings})?.name
  let region: string | undefined
  let regionSource: AwsContext['regionSource'] = 'flag'
  const candidates: [string | undefined, AwsContext['regionSource']][] = [
    [flags.region, 'flag'],
    [env.AWS_REGION, 'AWS_REGION'],
    [env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION'],
    [settings.region, 'config'],
  ]
  for (const [value, source] of candidates) {
    if (value) {
      region = value
      regionSource = source
      break
    }
  }

  if (!region) {
    region = profileRegion(profile ?? 'default')
    regionSource = 'profile'
  }

  if (!region) throw new MissingRegionError(profile)
  const envAttempts = Number.parseInt(env.AWS_MAX_ATTEMPTS ?? '', 10)
  return {
    endpoint: flags['endpoint-url'] || env.AWS_ENDPOINT_URL_ECS || env.AWS_ENDPOINT_URL || undefined,
    endpointFromFlag: Boolean(flags['endpoint-url']),
    maxAttempts: envAttempts > 0 ? envAttempts : (settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
    profile,
    region,
    regionSource,
  }
}

/** Where the region came from, in words for messages and doctor ("AWS_REGION", `profile "acme.prod"`). */
export function regionSourceName(ctx: Pick<AwsContext, 'profile' | 'regionSource'>): string {
  if (ctx.regionSource === 'profile') return `profile "${ctx.profile ?? 'default'}"`
  return {AWS_DEFAULT_REGION: 'AWS_DEFAULT_REGION', AWS_REGION: 'AWS_REGION', config: 'taskonaut config', flag: '--region'}[ctx.regionSource]
}

/**
 * The endpoint for one service. An explicit --endpoint-url points at a stand-in that serves
 * every service (LocalStack, the emulator). Otherwise ECS uses the context's endpoint
 * (AWS_ENDPOINT_URL_ECS, then AWS_ENDPOINT_URL) and every other service the SDK's own
 * variables for it (AWS_ENDPOINT_URL_STS..., then AWS_ENDPOINT_URL): AWS_ENDPOINT_URL_ECS is
 * for ECS only.
 */
export function endpointFor(service: string, ctx: AwsContext, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (ctx.endpointFromFlag || service === 'ecs') return ctx.endpoint
  return env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] || env.AWS_ENDPOINT_URL || undefined
}

/** The endpoint variables of the services taskonaut calls, most specific first. */
export const ENDPOINT_VARIABLES = ['AWS_ENDPOINT_URL_ECS', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_EVENTBRIDGE', 'AWS_ENDPOINT_URL_KMS', 'AWS_ENDPOINT_URL']
