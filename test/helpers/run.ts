import {runCommand as oclifRunCommand} from '@oclif/test'
import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

/**
 * runCommand from @oclif/test, running the TypeScript sources. The build's oclif.manifest.json
 * sends oclif to dist/, where sinon stubs on src/ modules (prompts, terminal) cannot reach.
 * oclif ignores a manifest whose version differs from the package's, and then loads commands
 * from src/ through tsx (NODE_ENV=test, set in test/setup.ts).
 */
export function runCommand<T = unknown>(args: string[]) {
  return oclifRunCommand<T>(args, {pjson: {...pjson, version: `${pjson.version}+src`}, root})
}
