import {invalidParameter} from '../errors.js'

export interface Failure {
  arn: string
  reason: string
  detail?: string
}

/**
 * The Describe* pattern: 1..max references, each either found and shaped or reported in
 * `failures` with reason MISSING (the answer never fails as a whole for an unknown item).
 */
export function describeBatch<R, S>(
  refs: string[] | undefined,
  opts: {member: string; max: number; find: (ref: string) => R | undefined; shape: (found: R) => S; arnOf: (ref: string) => string},
): {found: S[]; failures: Failure[]} {
  if (!refs || refs.length === 0) throw invalidParameter(`${opts.member[0].toUpperCase()}${opts.member.slice(1)} cannot be empty.`)
  if (refs.length > opts.max) throw invalidParameter(`${opts.member} can have at most ${opts.max} items.`)
  const found: S[] = []
  const failures: Failure[] = []
  for (const ref of refs) {
    const item = opts.find(ref)
    if (item === undefined) failures.push({arn: ref.startsWith('arn:') ? ref : opts.arnOf(ref), reason: 'MISSING'})
    else found.push(opts.shape(item))
  }

  return {failures, found}
}
