import {parseTaskDefinition} from '../ecs/names.js'

/** What the user asked to roll back to, before any AWS call. */
export type TargetSpec =
  | {kind: 'previous'}
  | {kind: 'revision'; revision: number}
  /** `arn` when --to gave an ARN: its account and region must be the service's. */
  | {arn?: string; family: string; kind: 'named'; revision: number}

export class TargetSyntaxError extends Error {}

/**
 * `--to-revision 243`, `--to web:243`, `--to arn:aws:ecs:…:task-definition/web:243`, `--to 243`
 * or `--previous` (the flags are mutually exclusive; oclif enforces that). Undefined when none.
 */
export function parseTarget(flags: {previous?: boolean; to?: string; 'to-revision'?: number}): TargetSpec | undefined {
  if (flags.previous) return {kind: 'previous'}
  if (flags['to-revision'] !== undefined) return {kind: 'revision', revision: flags['to-revision']}
  if (flags.to === undefined) return undefined
  const text = flags.to.trim()
  // Revision numbers start at 1: `--to 0` is as malformed as `--to-revision 0` and `--to web:0`.
  if (/^\d+$/.test(text) && Number(text) >= 1) return {kind: 'revision', revision: Number(text)}
  const parsed = parseTaskDefinition(text)
  if (!parsed || parsed.revision < 1) {
    throw new TargetSyntaxError(`--to "${flags.to}" is not a revision: use a number from 1, family:revision or a task definition ARN.`)
  }

  return text.startsWith('arn:') ? {arn: text, family: parsed.family, kind: 'named', revision: parsed.revision} : {family: parsed.family, kind: 'named', revision: parsed.revision}
}

/** `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3` → {account, region}; undefined for a non-ARN. */
export function arnScope(arn: string | undefined): {account: string; region: string} | undefined {
  const m = /^arn:[^:]+:ecs:([^:]*):(\d*):/.exec(arn ?? '')
  return m ? {account: m[2], region: m[1]} : undefined
}

/** The revisions closest to `wanted`, nearest first (ties: the newer one first). */
export function nearestRevisions(wanted: number, available: readonly number[], limit = 5): number[] {
  return [...new Set(available)].sort((a, b) => Math.abs(a - wanted) - Math.abs(b - wanted) || b - a).slice(0, limit)
}

/** The newest ACTIVE revision older than `current`: --previous when ECS's records say nothing. */
export function nextOlderRevision(current: number, active: readonly number[]): number | undefined {
  let best: number | undefined
  for (const r of active) if (r < current && (best === undefined || r > best)) best = r
  return best
}

/** `arn:…:task-definition/web:245` → `arn:…:task-definition/web:243` (same account and region). */
export function revisionArn(currentArn: string, family: string, revision: number): string {
  const m = /^(arn:[^:]+:ecs:[^:]+:\d+:task-definition\/)/.exec(currentArn)
  return m ? `${m[1]}${family}:${revision}` : `${family}:${revision}`
}
