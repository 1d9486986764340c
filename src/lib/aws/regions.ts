import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'

export interface Region {
  name: string
  description: string
  partition: string
}

let cached: Region[] | undefined

/**
 * The regions AWS publishes in the SDK's partition data (shipped in @aws-sdk/core and updated
 * with every SDK release), so the list is as fresh as the installed SDK. Read as text, not
 * imported, so listing regions does not load the SDK.
 */
export function knownRegions(): Region[] {
  if (cached) return cached
  const require = createRequire(import.meta.url)
  const root = dirname(require.resolve('@aws-sdk/core/package.json'))
  const file = join(root, 'dist-es', 'submodules', 'client', 'util-endpoints', 'lib', 'aws', 'partitions.js')
  const text = readFileSync(file, 'utf8')
  const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)
  const data = JSON.parse(json) as {partitions: {id: string; regions: Record<string, {description?: string}>}[]}
  cached = data.partitions.flatMap((p) =>
    Object.entries(p.regions)
      .filter(([name]) => !name.startsWith('aws-')) // the partition's pseudo-regions (aws-global...)
      .map(([name, info]) => ({description: info.description ?? name, name, partition: p.id})),
  )
  return cached
}

/** A syntactically plausible region name: two letters, words, a number (eu-west-1, us-gov-east-1). */
export function looksLikeRegion(name: string): boolean {
  return /^[a-z]{2}(-[a-z]+)+-\d+$/.test(name)
}
