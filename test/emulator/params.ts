import {invalidParameter, serialization} from './errors.js'

/** A request body after JSON parsing: always a plain object (checked by the server). */
export type Params = Record<string, unknown>

/**
 * Typed reads of request members. A member of the wrong JSON type is what AWS answers with a
 * SerializationException; a missing required one is an InvalidParameterException.
 */
export function optString(p: Params, key: string): string | undefined {
  const v = p[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw serialization(`Expected a string for member '${key}'`)
  return v
}

export function reqString(p: Params, key: string, what = key): string {
  const v = optString(p, key)
  if (v === undefined || v === '') throw invalidParameter(`${what} can not be blank.`)
  return v
}

export function optInt(p: Params, key: string): number | undefined {
  const v = p[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v)) throw serialization(`Expected an integer for member '${key}'`)
  return v
}

export function optBool(p: Params, key: string): boolean | undefined {
  const v = p[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') throw serialization(`Expected a boolean for member '${key}'`)
  return v
}

export function optStringList(p: Params, key: string): string[] | undefined {
  const v = p[key]
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw serialization(`Expected a list of strings for member '${key}'`)
  return v as string[]
}

export function optObject(p: Params, key: string): Params | undefined {
  const v = p[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v)) throw serialization(`Expected a structure for member '${key}'`)
  return v as Params
}

export function optList<T = Params>(p: Params, key: string): T[] | undefined {
  const v = p[key]
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v)) throw serialization(`Expected a list for member '${key}'`)
  return v as T[]
}

/** maxResults: 1..max, else InvalidParameterException (AWS validates the range server-side). */
export function maxResults(p: Params, fallback: number, max = 100, key = 'maxResults'): number {
  const v = optInt(p, key)
  if (v === undefined) return fallback
  if (v < 1 || v > max) throw invalidParameter(`${key} must be between 1 and ${max}.`)
  return v
}

export function oneOf<T extends string>(p: Params, key: string, allowed: readonly T[]): T | undefined {
  const v = optString(p, key)
  if (v === undefined) return undefined
  if (!(allowed as readonly string[]).includes(v)) {
    throw invalidParameter(`${key} must be one of ${allowed.join(', ')}.`)
  }

  return v as T
}

/** A list member whose items are enum values: a value outside `allowed` is refused, as ECS does. */
export function enumList<T extends string>(p: Params, key: string, allowed: readonly T[]): T[] | undefined {
  const v = optStringList(p, key)
  if (v === undefined) return undefined
  const bad = v.find((x) => !(allowed as readonly string[]).includes(x))
  if (bad !== undefined) throw invalidParameter(`${key} contains an invalid value '${bad}': expected ${allowed.join(', ')}.`)
  return v as T[]
}

/**
 * A timestamp member: JSON 1.1 sends epoch seconds as a number. Anything else does not
 * deserialize (SerializationException). Answers epoch milliseconds.
 */
export function optTimestamp(p: Params, key: string): number | undefined {
  const v = p[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) throw serialization(`Expected a timestamp (epoch seconds) for member '${key}'`)
  return v * 1000
}

/** Whether a Describe call's `include` asks for TAGS; each value must be one the operation takes (`allowed`). */
export function includesTags(p: Params, allowed: readonly string[] = ['TAGS']): boolean {
  return (enumList(p, 'include', allowed) ?? []).includes('TAGS')
}
