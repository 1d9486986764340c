/** Levenshtein distance, for "did you mean" suggestions. */
export function distance(a: string, b: string): number {
  if (a === b) return 0
  let previous = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }

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

/** "a, b or c" */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`
}
