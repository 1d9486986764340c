import {parseDuration as parseAnyDuration} from '../text/duration.js'
import type {RevisionRange} from './plan.js'

/**
 * `--older-than`: a number and a unit, days `90d`, weeks `12w` or hours `36h`, or a mix (`1w3d`).
 * Deliberately narrower than the shared duration parser (text/duration.ts), where `m` means
 * minutes: in a command that deletes things, `6m` reads as six months, so minutes, seconds and
 * milliseconds are refused rather than taken at the shared meaning. Months and years are left
 * out too: their length is ambiguous, and `180d` says exactly what it means.
 * Throws an Error whose message is shown as the flag's usage error.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim().toLowerCase()
  if (/^(\d+(\.\d+)?[wdh])+$/.test(trimmed)) {
    const ms = parseAnyDuration(trimmed)!
    if (ms <= 0) throw new Error(`"${text}" must be longer than zero`)
    return ms
  }

  if (/^(\d+(\.\d+)?(ms|mo|[wdhms]))+$/.test(trimmed)) {
    // `m` alone (minutes or months?) or `mo`; `ms` is plainly milliseconds, only too fine.
    if (/m(?!s)/.test(trimmed)) throw new Error(`"${text}" is ambiguous (minutes or months?): use days, weeks or hours (d, w, h), e.g. 180d for about six months`)
    throw new Error(`"${text}": use days, weeks or hours (d, w, h), e.g. 90d`)
  }

  throw new Error(`"${text}" is not a duration: use a number and a unit d, w or h, e.g. 90d`)
}

/**
 * `--revisions`: `1-400`, `7`, or a comma-separated list of both (`1-400,410,500-510`).
 * Throws an Error whose message is shown as the flag's usage error.
 */
export function parseRanges(text: string): RevisionRange[] {
  const parts = text.split(',').map((p) => p.trim())
  if (parts.length === 0 || parts.some((p) => p === '')) throw new Error(`"${text}" is not a revision range: use e.g. 1-400 or 1-400,410`)
  return parts.map((part) => {
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part)
    if (!m) throw new Error(`"${part}" is not a revision range: use e.g. 1-400 or 7`)
    const from = Number(m[1])
    const to = m[2] === undefined ? from : Number(m[2])
    if (from < 1) throw new Error(`"${part}": revisions start at 1`)
    if (to < from) throw new Error(`"${part}": the range ends before it starts`)
    return {from, to}
  })
}

/** `1-3, 5, 7-9` for a list of numbers (any order): keeps long selections readable. */
export function compactRanges(numbers: Iterable<number>): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b)
  const out: string[] = []
  for (let i = 0; i < sorted.length; ) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++
    out.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`)
    i = j + 1
  }

  return out.join(', ')
}
