import {type Change, HIDDEN, type TaskDefinitionDiff} from './diff.js'
import {ago, when} from '../text/duration.js'
import {shortDigest} from './image.js'

export interface RenderOptions {
  color?: boolean
  now?: Date
  /** Longest value shown in a cell; --json has the full text. */
  width?: number
}

type Paint = (code: number, text: string) => string

/** The preview for people: a header with both revisions, a table of changes, the unchanged line. */
export function renderDiff(diff: TaskDefinitionDiff, opts: RenderOptions = {}): string {
  const paint: Paint = (code, text) => (opts.color ? `\u001B[${code}m${text}\u001B[0m` : text)
  const width = opts.width ?? 56
  const from = diff.from.revision ?? '?'
  const to = diff.to.revision ?? '?'
  const lines: string[] = []
  const dated = (info: TaskDefinitionDiff['from']) =>
    info.registeredAt ? `registered ${when(info.registeredAt)} (${ago(info.registeredAt, opts.now)})` : ''
  lines.push(`  now    ${diff.from.family}:${from}  ${dated(diff.from)}`.trimEnd(), `  after  ${diff.to.family}:${to}  ${dated(diff.to)}`.trimEnd())
  // Going "back" to a newer revision happens (after an earlier rollback, or a mistyped number):
  // worth a word before the confirmation.
  if (diff.from.family === diff.to.family && (diff.to.revision ?? 0) > (diff.from.revision ?? Infinity)) {
    lines.push(paint(33, `  ${diff.to.family}:${to} is newer than the running ${diff.from.family}:${from}: this rolls forward, not back.`))
  }

  lines.push('')

  if (diff.identical) {
    lines.push(`  Revisions ${from} and ${to} define the same task (only the revision number differs).`)
    return lines.join('\n')
  }

  const rows: [string, string, string][] = [['CHANGE', `NOW (${from})`, `AFTER (${to})`]]
  for (const change of diff.task) rows.push(changeRow(change, '', width, paint))
  for (const container of diff.containers) {
    if (container.status === 'unchanged') continue
    if (container.status === 'added') {
      rows.push([`container ${container.name}`, paint(2, '—'), paint(32, `added: ${cell(container.image ?? '', width)}`)])
    } else if (container.status === 'removed') {
      rows.push([`container ${container.name}`, paint(31, cell(container.image ?? '', width)), paint(31, 'removed')])
    } else {
      rows.push([`container ${container.name}`, '', ''])
      for (const change of container.changes) rows.push(changeRow(change, '  ', width, paint))
    }
  }

  lines.push(...table(rows).map((line, i) => (i === 0 ? paint(1, line) : line)))
  if (diff.unchangedSummary) lines.push('', `  ${diff.unchangedSummary}`)
  return lines.join('\n')
}

function changeRow(change: Change, indent: string, width: number, paint: Paint): [string, string, string] {
  const text = (value: string) => (change.field === 'image.digest' ? (shortDigest(value) ?? value) : value)
  const before = change.from === undefined || change.from === HIDDEN ? undefined : text(change.from)
  const after = change.to === undefined || change.to === HIDDEN ? undefined : text(change.to)
  const [a, b] = before !== undefined && after !== undefined ? cellPair(before, after, width) : [before && cell(before, width), after && cell(after, width)]
  const show = (raw: string | undefined, shown: string | undefined) => {
    if (raw === undefined) return paint(2, '—')
    if (raw === HIDDEN) return paint(2, 'value hidden')
    return shown!
  }

  const from = show(change.from, a)
  const to = show(change.to, b)
  return [`${indent}${change.label}`, change.kind === 'removed' ? paint(31, from) : from, change.kind === 'added' ? paint(32, to) : to]
}

/** Keeps both ends of a long value (ARNs differ at the end, images at the tag). */
export function cell(value: string, width: number): string {
  const flat = value.replaceAll('\n', ' ')
  if (flat.length <= width) return flat
  const head = Math.ceil((width - 1) / 2)
  return `${flat.slice(0, head)}…${flat.slice(flat.length - (width - 1 - head))}`
}

/**
 * Two values of one setting, each cut to `width` around where they first differ, so the part
 * that changed stays in view: a health check that differs only in its retries, in the middle
 * of a long command line, shows the retries, not the start and end both values share.
 */
export function cellPair(from: string, to: string, width: number): [string, string] {
  const a = from.replaceAll('\n', ' ')
  const b = to.replaceAll('\n', ' ')
  let first = 0
  while (first < a.length && first < b.length && a[first] === b[first]) first++
  return [around(a, first, width), around(b, first, width)]
}

/** `value` cut to `width` with `…` where text is left out, keeping `focus` and a little before it. */
function around(value: string, focus: number, width: number): string {
  if (value.length <= width) return value
  const context = Math.min(16, Math.floor(width / 3))
  const start = Math.max(0, focus - context)
  if (start === 0) return `${value.slice(0, width - 1)}…`
  if (start + width >= value.length) return `…${value.slice(value.length - (width - 1))}`
  return `…${value.slice(start + 1, start + width - 1)}…`
}

/** Left-aligned columns, two spaces apart, indented by two; colour codes do not count. */
export function table(rows: string[][]): string[] {
  const visible = (s: string) => stripColor(s).length
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => visible(r[col] ?? ''))))
  return rows.map((r) =>
    `  ${r.map((c, col) => (col === r.length - 1 ? c : c + ' '.repeat(widths[col] - visible(c)))).join('  ')}`.trimEnd(),
  )
}

const ESC = String.fromCodePoint(27)
const COLOR_CODE = new RegExp(`${ESC}\\[\\d+m`, 'g')

export function stripColor(text: string): string {
  return text.replaceAll(COLOR_CODE, '')
}
