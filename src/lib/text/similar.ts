/**
 * Optimal string alignment distance (Damerau–Levenshtein without repeated edits of one
 * substring), for "did you mean" suggestions. Unlike plain Levenshtein it counts swapping two
 * neighbouring letters as one edit, the commonest typo: `wbe` is one edit from `web`, not two.
 */
export function distance(a: string, b: string): number {
  if (a === b) return 0
  // Three rows: a transposition looks two rows back.
  let before: number[] = []
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1)
      current[j] = d
    }

    before = previous
    previous = current
  }

  return previous[b.length]
}

/**
 * Names close to `wanted`: those containing it (or contained in it), then those within a
 * small edit distance, best first. Used for every "unknown X" error.
 */
export function closeMatches(wanted: string, names: readonly string[], limit = 5): string[] {
  const w = wanted.toLowerCase()
  const scored = names
    .map((name) => {
      const n = name.toLowerCase()
      const contains = n.includes(w) || (w.length > 2 && w.includes(n))
      return {d: contains ? 0 : distance(w, n), name}
    })
    .filter(({d, name}) => d <= Math.max(1, Math.floor(Math.max(wanted.length, name.length) / 3)))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
  return scored.slice(0, limit).map(({name}) => name)
}

/** Up to this many names, an "unknown X" error lists them all when none is close. */
export const LIST_ALL_UP_TO = 10

/**
 * The hint of an "unknown X" error: the close names, or every name (after `plural`, e.g.
 * "Services") when there are few, or `otherwise` (what to do when there are too many, or none).
 */
export function suggestNames(wanted: string, names: readonly string[], plural: string, otherwise: string): string {
  const close = closeMatches(wanted, names)
  if (close.length > 0) return `Did you mean ${orList(close)}?`
  if (names.length > 0 && names.length <= LIST_ALL_UP_TO) return `${plural}: ${[...names].sort((a, b) => a.localeCompare(b)).join(', ')}.`
  return otherwise
}

/** "a, b or c" */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`
}
