import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

export interface Region {
  name: string
  description: string
  partition: string
}

interface Partition {
  id: string
  /** The names AWS reserves for this partition's regions, listed or not yet (`^eusc\-(de)\-\w+\-\d+$`). */
  regionRegex: string
  regions: Record<string, {description?: string}>
}

/** Where @aws-sdk/core (a declared dependency) keeps the partition data it resolves endpoints with. */
const PARTITIONS_FILE = join('dist-es', 'submodules', 'client', 'util-endpoints', 'lib', 'aws', 'partitions.js')

/** Used only if the SDK ever moves that file: a name of words and a number (eusc-de-east-1, us-gov-west-1). */
const WELL_FORMED = /^[a-z]{2,}(-[a-z0-9]+)+-\d+$/

let cached: Partition[] | null | undefined

/**
 * The installed @aws-sdk/core folder, found the way Node looks up node_modules but without the
 * module resolver: `config set` reads this data file and must not load (or be seen loading) the SDK.
 */
function sdkCoreDir(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '@aws-sdk', 'core')
    if (existsSync(join(candidate, PARTITIONS_FILE))) return candidate
    if (dirname(dir) === dir) return undefined
  }
}

/**
 * AWS's partition data as the installed SDK ships it (updated with every SDK release), or null
 * when it cannot be read. Read as text, not imported, so listing regions does not load the SDK.
 */
function partitions(): Partition[] | null {
  if (cached !== undefined) return cached
  try {
    const root = sdkCoreDir()
    if (!root) throw new Error('@aws-sdk/core not found')
    const text = readFileSync(join(root, PARTITIONS_FILE), 'utf8')
    cached = (JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)) as {partitions: Partition[]}).partitions
  } catch {
    cached = null
  }

  return cached
}

/** A partition's pseudo-regions (aws-global, aws-us-gov-global...) name no region to run in. */
const isPseudoRegion = (name: string) => name.startsWith('aws-')

/** Every region the SDK's partition data lists, in every partition (aws, aws-cn, aws-us-gov, aws-eusc...). */
export function knownRegions(): Region[] {
  return (partitions() ?? []).flatMap((p) =>
    Object.entries(p.regions)
      .filter(([name]) => !isPseudoRegion(name))
      .map(([name, info]) => ({description: info.description ?? name, name, partition: p.id})),
  )
}

/**
 * A name AWS uses or reserves for a region: listed in a partition (its pseudo-regions aside),
 * or matching a partition's region pattern (a region newer than the installed SDK). Without
 * the data, any well-formed name.
 */
export function isRegionName(name: string): boolean {
  const data = partitions()
  if (!data) return WELL_FORMED.test(name)
  if (isPseudoRegion(name)) return false
  return data.some((p) => Object.hasOwn(p.regions, name) || new RegExp(p.regionRegex).test(name))
}
