/**
 * The flags whose values complete with live names. Kept apart from sources.ts, which reaches
 * the ECS queries and through them the AWS SDK: a completion answered from the cache (and
 * `--script`) must not pay for loading the SDK on every TAB.
 */
export const LIVE_FLAGS = ['cluster', 'service', 'family'] as const
export type LiveFlag = (typeof LIVE_FLAGS)[number]

export function isLiveFlag(name: string | undefined): name is LiveFlag {
  return LIVE_FLAGS.includes(name as LiveFlag)
}
