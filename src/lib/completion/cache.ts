import {createHash} from 'node:crypto'
import {mkdir, readFile, rename, rm, stat, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'

/** Names stay this long before the next completion fetches them again. */
export const COMPLETION_TTL_MS = 10 * 60 * 1000

export interface CacheKey {
  profile?: string
  region: string
  endpoint?: string
  /**
   * AWS_ACCESS_KEY_ID when no profile is named: without it two accounts used through
   * environment keys would share one cache. Only a short hash of it reaches the file name.
   */
  accessKeyId?: string
}

/**
 * The cache file for one kind of name, per profile (or environment keys), region and endpoint
 * (so names from the local emulator never show up for a real account). `scope` narrows it
 * further (services of a cluster).
 */
export function cacheFile(dir: string, key: CacheKey, kind: string, scope?: string): string {
  const safe = (s: string) => s.replaceAll(/[^\w.@-]+/g, '_')
  const who = key.profile ?? (key.accessKeyId ? `env-${createHash('sha256').update(key.accessKeyId).digest('hex').slice(0, 12)}` : 'default')
  const account = [who, key.region, ...(key.endpoint ? [key.endpoint] : [])].map((s) => safe(s)).join('@')
  return join(dir, 'completions', account, `${safe(kind)}${scope ? `-${safe(scope)}` : ''}.json`)
}

export interface CachedNames {
  names: string[]
  /** true when the names came from the cache file without asking AWS. */
  fromCache: boolean
  /** true when AWS could not be asked and an expired cache answered instead. */
  stale?: boolean
  /** true when the names were fetched but could not be saved (the next call fetches again). */
  unsaved?: boolean
}

/**
 * Names from the cache file while it is fresh, else from `fetch` (then saved). When `fetch`
 * fails, an expired file still answers: a completion is better late than empty.
 */
export async function cachedNames(file: string, fetch: () => Promise<string[]>, opts: {ttlMs?: number; now?: number} = {}): Promise<CachedNames> {
  const ttl = opts.ttlMs ?? COMPLETION_TTL_MS
  const now = opts.now ?? Date.now()
  let old: string[] | undefined
  try {
    const [info, text] = await Promise.all([stat(file), readFile(file, 'utf8')])
    old = JSON.parse(text) as string[]
    if (now - info.mtimeMs < ttl && Array.isArray(old)) return {fromCache: true, names: old}
  } catch {
    // no cache yet, or unreadable: fetch
  }

  let names: string[]
  try {
    names = [...new Set(await fetch())].sort()
  } catch (error) {
    if (Array.isArray(old)) return {fromCache: true, names: old, stale: true}
    throw error
  }

  // A cache that cannot be written (read-only or misconfigured folder) costs the next TAB a
  // fetch, but must not throw away the names just fetched.
  const saved = await save(file, names).then(
    () => true,
    () => false,
  )
  return {fromCache: false, names, ...(saved ? {} : {unsaved: true})}
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
async function save(file: string, names: string[]): Promise<void> {
  await mkdir(dirname(file), {mode: 0o700, recursive: true})
  const tmp = `${file}.${process.pid}.tmp`
  try {
    await writeFile(tmp, JSON.stringify(names), {mode: 0o600})
    await rename(tmp, file)
  } catch (error) {
    await rm(tmp, {force: true}).catch(() => {})
    throw error
  }
}
