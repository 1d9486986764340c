/** Durations as people type them (`90s`, `10m`, `1h30m`) and ages as they read them. */

const UNITS: Record<string, number> = {d: 86_400_000, h: 3_600_000, m: 60_000, ms: 1, s: 1000, w: 7 * 86_400_000}

/**
 * `90s`, `10m`, `1h30m`, `1.5h`, `500ms`, `90d`, `2w`; a bare number is seconds. `m` is minutes:
 * months and years are left out on purpose (their length is ambiguous; `180d` is not). Returns milliseconds, or
 * undefined for anything else (the flag parser turns that into a usage error).
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  if (!/^(\d+(\.\d+)?(ms|[wdhms]))+$/.test(trimmed)) return undefined
  let total = 0
  for (const [, value, , unit] of trimmed.matchAll(/(\d+(\.\d+)?)(ms|[wdhms])/g)) total += Number(value) * UNITS[unit]
  return Math.round(total)
}

/** 125000 → `2m5s`; 300 → `0.3s`; 0 → `0s`. */
export function formatDuration(ms: number): string {
  if (ms >= 50 && ms < 1000) return `${(ms / 1000).toFixed(1)}s`
  const seconds = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  const parts = [h ? `${h}h` : '', m ? `${m}m` : '', s || (!h && !m) ? `${s}s` : '']
  return parts.join('')
}

/** "3 days ago", "just now", "in 2 minutes" (clock skew). */
export function ago(date: Date | string | undefined, now: Date = new Date()): string {
  if (date === undefined) return ''
  const then = new Date(date).getTime()
  const diff = now.getTime() - then
  const abs = Math.abs(diff)
  const steps: [number, string][] = [
    [365 * 86_400_000, 'year'],
    [30 * 86_400_000, 'month'],
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ]
  for (const [size, unit] of steps) {
    if (abs >= size) {
      const n = Math.floor(abs / size)
      const text = `${n} ${unit}${n === 1 ? '' : 's'}`
      return diff >= 0 ? `${text} ago` : `in ${text}`
    }
  }

  return 'just now'
}

/** `2026-11-30 10:00 UTC`: one fixed, sortable format for every date we print. */
export function when(date: Date | string | undefined): string {
  if (date === undefined) return ''
  const d = new Date(date)
  if (Number.isNaN(d.getTime())) return ''
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
