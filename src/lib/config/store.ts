import {mkdir, open, readFile, realpath, rename, rm} from 'node:fs/promises'
import {dirname} from 'node:path'

import {isRegionName} from '../aws/regions.js'
import {configFile} from './paths.js'

/**
 * Every setting taskonaut keeps. Unknown keys in the file are an error, not silently dropped
 * (only the seed's own keys are recognised, see SEED_RENAMED).
 */
export interface Settings {
  profile?: string
  region?: string
  /** Attempts per AWS call (adaptive retry mode), 1 to 20. */
  maxAttempts?: number
  /** exec: start AWS's session-manager-plugin instead of the built-in client. */
  usePlugin?: boolean
}

type Validator = (value: unknown) => string | undefined

const isString: Validator = (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : 'must be a non-empty string')

const VALIDATORS: Record<keyof Settings, Validator> = {
  maxAttempts: (v) => (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 20 ? undefined : 'must be a whole number from 1 to 20'),
  profile: isString,
  region: (v) => isString(v) ?? (isRegionName(v as string) ? undefined : 'is not an AWS region name (like eu-west-1) in the SDK\'s partition data'),
  usePlugin: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false'),
}

export const SETTING_KEYS = Object.keys(VALIDATORS) as (keyof Settings)[]

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message)
    this.name = 'ConfigError'
  }
}

/** Checks a parsed config document; throws a ConfigError naming the file and the bad key. */
export function validateSettings(data: unknown, file: string): Settings {
  return parseSettings(data, file, false).settings
}

/**
 * Keys the seed (SchematicHQ/taskonaut, through the `conf` package) wrote in this same file.
 * Its profile and region are read under their new names; the rest (a cluster it last used,
 * a cache of profile names and when it was filled, conf's own bookkeeping) have no use here.
 * Both kinds are dropped when the file is next written.
 */
const SEED_RENAMED: Record<string, keyof Settings> = {awsProfile: 'profile', awsRegion: 'region'}
const SEED_IGNORED = new Set(['__internal__', 'awsProfiles', 'lastProfileSync', 'lastUsedCluster'])

export interface SettingsFile {
  settings: Settings
  /** Keys of the seed's format found in the file (read or ignored; gone after the next write). */
  seedKeys: string[]
}

function parseSettings(data: unknown, file: string, seedAllowed: boolean): SettingsFile {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(`${file} must hold a JSON object`, file)
  }

  const settings: Record<string, unknown> = {}
  const seedKeys: string[] = []
  for (const [key, value] of Object.entries(data)) {
    const renamed = seedAllowed ? SEED_RENAMED[key] : undefined
    if (renamed) {
      seedKeys.push(key)
      // conf wrote its defaults ("" for unset); the current name wins when both are there.
      if (value === '' || renamed in data) continue
      const problem = VALIDATORS[renamed](value)
      if (problem) throw new ConfigError(`${file}: setting "${key}" (the older name of "${renamed}") ${problem}`, file)
      settings[renamed] = value
      continue
    }

    if (seedAllowed && SEED_IGNORED.has(key)) {
      seedKeys.push(key)
      continue
    }

    const check = VALIDATORS[key as keyof Settings]
    if (!check) throw new ConfigError(`${file}: unknown setting "${key}" (known: ${SETTING_KEYS.join(', ')})`, file)
    const problem = check(value)
    if (problem) throw new ConfigError(`${file}: setting "${key}" ${problem}`, file)
    settings[key] = value
  }

  return {seedKeys, settings: settings as Settings}
}

/** The settings, and which keys of the seed's older format the file still holds. */
export async function readSettingsFile(file = configFile()): Promise<SettingsFile> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error: any) {
    if (error.code === 'ENOENT') return {seedKeys: [], settings: {}}
    throw new ConfigError(`cannot read ${file}: ${error.code ?? error.message}`, file)
  }

  if (text.trim() === '') return {seedKeys: [], settings: {}}
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error: any) {
    throw new ConfigError(`${file} is not valid JSON (${error.message})`, file)
  }

  return parseSettings(data, file, true)
}

export async function readSettings(file = configFile()): Promise<Settings> {
  return (await readSettingsFile(file)).settings
}

/**
 * Writes the whole settings document atomically (temp file in the same folder, flushed to
 * disk, then renamed over the old one) with mode 0600, so a crash never leaves half a file
 * and other users cannot read it. A symlinked config.json (a dotfiles checkout) stays a
 * symlink: the file it points at is the one replaced.
 */
export async function writeSettings(settings: Settings, file = configFile()): Promise<void> {
  validateSettings(settings, file)
  const target = await realpath(file).catch(() => file)
  await mkdir(dirname(target), {mode: 0o700, recursive: true})
  const tmp = `${target}.${process.pid}.tmp`
  try {
    const handle = await open(tmp, 'w', 0o600)
    try {
      await handle.writeFile(JSON.stringify(settings, null, 2) + '\n')
      await handle.chmod(0o600) // open's mode is filtered by the umask
      await handle.sync()
    } finally {
      await handle.close()
    }

    await rename(tmp, target)
  } catch (error) {
    await rm(tmp, {force: true})
    throw error
  }
}

export async function removeSettings(file = configFile()): Promise<boolean> {
  try {
    await rm(file)
    return true
  } catch (error: any) {
    if (error.code === 'ENOENT') return false
    throw error
  }
}
