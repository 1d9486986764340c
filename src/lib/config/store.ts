import {chmod, mkdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import {dirname} from 'node:path'

import {configFile} from './paths.js'

/** Every setting taskonaut keeps. Unknown keys in the file are an error, not silently dropped. */
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
  region: (v) => isString(v) ?? (/^[a-z]{2}(-[a-z]+)+-\d+$/.test(v as string) ? undefined : 'is not a region name like eu-west-1'),
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
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(`${file} must hold a JSON object`, file)
  }

  for (const [key, value] of Object.entries(data)) {
    const check = VALIDATORS[key as keyof Settings]
    if (!check) throw new ConfigError(`${file}: unknown setting "${key}" (known: ${SETTING_KEYS.join(', ')})`, file)
    const problem = check(value)
    if (problem) throw new ConfigError(`${file}: setting "${key}" ${problem}`, file)
  }

  return data as Settings
}

export async function readSettings(file = configFile()): Promise<Settings> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error: any) {
    if (error.code === 'ENOENT') return {}
    throw new ConfigError(`cannot read ${file}: ${error.code ?? error.message}`, file)
  }

  if (text.trim() === '') return {}
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error: any) {
    throw new ConfigError(`${file} is not valid JSON (${error.message})`, file)
  }

  return validateSettings(data, file)
}

/**
 * Writes the whole settings document atomically (temp file in the same folder, then rename)
 * with mode 0600, so a crash never leaves half a file and other users cannot read it.
 */
export async function writeSettings(settings: Settings, file = configFile()): Promise<void> {
  validateSettings(settings, file)
  await mkdir(dirname(file), {mode: 0o700, recursive: true})
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, JSON.stringify(settings, null, 2) + '\n', {mode: 0o600})
  await chmod(tmp, 0o600)
  await rename(tmp, file)
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
