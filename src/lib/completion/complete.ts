import type {ECSClient} from '@aws-sdk/client-ecs'

import {type AwsContext, resolveContext} from '../aws/context.js'
import {listProfiles} from '../aws/profiles.js'
import {readSettings} from '../config/store.js'
import {cachedNames, cacheFile} from './cache.js'
import {type FlagInfo, readCompletionLine} from './line.js'
import {isLiveFlag} from './live-flags.js'

export interface CompleteOptions {
  flagsOf: (id: string) => FlagInfo[] | undefined
  cacheDir: string
  env?: NodeJS.ProcessEnv
  /** Builds the ECS client for a context (tests hand in a mock). */
  ecsFor: (ctx: AwsContext) => Promise<ECSClient>
  /** A completion that takes longer than this gives up (and answers nothing). */
  timeoutMs?: number
}

/**
 * The names to offer for the flag value under the cursor, or undefined when that flag (of the
 * command being typed) is not a live one: the shell function then hands over to oclif's own
 * completion, so a `-s` that means something else in some command is not swallowed.
 * Profile, region and endpoint come from the line itself (--profile, --region,
 * --endpoint-url), then the environment and saved settings, as for the command being typed.
 */
export async function completeLine(words: readonly string[], opts: CompleteOptions): Promise<string[] | undefined> {
  const request = readCompletionLine(words, opts.flagsOf)
  if (!isLiveFlag(request.flag)) return undefined
  const env = opts.env ?? process.env
  const [settings, profiles] = await Promise.all([readSettings().catch(() => ({})), listProfiles().catch(() => [])])
  const context = resolveContext({
    env,
    flags: {'endpoint-url': request.given['endpoint-url'], profile: request.given.profile, region: request.given.region},
    profileRegion: (name) => profiles.find((p) => p.name === name)?.region,
    settings,
  })
  // One quick attempt: a shell waiting on TAB is no place for long retries.
  context.maxAttempts = 2
  const flag = request.flag
  const scope = flag === 'service' ? request.given.cluster : undefined
  // A named profile wins over environment keys in the SDK's chain; without one, the keys are who asks.
  const accessKeyId = context.profile ? undefined : env.AWS_ACCESS_KEY_ID || undefined
  const file = cacheFile(opts.cacheDir, {...context, accessKeyId}, flag, scope)
  const {names} = await cachedNames(file, async () => {
    // Loaded only when the cache misses: sources.ts reaches the AWS SDK, which costs about
    // 100 ms to load, and a cache hit should answer without it.
    const {liveNames} = await import('./sources.js')
    const ecs = await opts.ecsFor(context)
    return liveNames(ecs, flag, {cluster: request.given.cluster}, {abortSignal: AbortSignal.timeout(opts.timeoutMs ?? 5000)})
  })
  return names
}
