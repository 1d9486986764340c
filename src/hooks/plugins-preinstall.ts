import type {Hook} from '@oclif/core'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

/** The folder, inside oclif's data folder, of the package that stands for this taskonaut. */
const API_LINK_DIR = 'taskonaut-api'
/** The global symbol (Symbol.for) under which bin/run.js puts the URL of the running API. */
const RUNNING_API = 'taskonaut.api'

/**
 * Before `taskonaut plugins install`: make a plugin's `import ... from 'taskonaut'` resolve to
 * the taskonaut that runs it, with nothing fetched.
 *
 * plugin-plugins runs `npm install PLUGIN` in the data folder. A plugin built on the public API
 * names taskonaut as a peer dependency, so npm would fetch taskonaut from the registry: it
 * fails while taskonaut is not published, and would otherwise install a second taskonaut (and
 * a second @oclif/core) that is not the one running. So the data folder gets a tiny package
 * named taskonaut, at this version, and the data folder's package.json depends on it with
 * `file:`. npm links it, the peer dependency is satisfied by it, and the registry is not asked.
 *
 * Its index re-exports the API of the taskonaut that is running (bin/run.js says where that is,
 * under RUNNING_API), so a plugin keeps working when taskonaut moves: reinstalled under another
 * prefix, or another Node version's copy under nvm, sharing this data folder. The install that
 * wrote the link is only the fallback, for a plugin loaded some other way. The names it
 * re-exports are those of the API at install time: a plugin that needs names a later taskonaut
 * added gets them when any plugin is installed again (README: Plugins).
 */
const hook: Hook.PluginsPreinstall = async function ({config}) {
  const link = join(config.dataDir, API_LINK_DIR)
  const api = join(config.root, 'dist', 'index.js')
  const running = (globalThis as Record<symbol, string | undefined>)[Symbol.for(RUNNING_API)] ?? pathToFileURL(api).href
  // `export const {...} = await import(...)` needs the names: those of the running API.
  const names = Object.keys(await import(running)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default')
  await mkdir(link, {recursive: true})
  const pjson = {
    description: `Stands for the ${config.name} that runs these plugins (written by the plugins:preinstall hook of ${config.root}).`,
    exports: {'.': {import: './index.js', types: './index.d.ts'}},
    name: config.name,
    private: true,
    type: 'module',
    version: config.version,
  }
  await writeFile(join(link, 'package.json'), JSON.stringify(pjson, null, 2) + '\n')
  const index = [
    `// Written by ${config.name}'s plugins:preinstall hook: the API of the ${config.name} that runs the plugin.`,
    `const api = await import(globalThis[Symbol.for(${JSON.stringify(RUNNING_API)})] ?? ${JSON.stringify(pathToFileURL(api).href)})`,
    `export const {${names.join(', ')}} = api`,
    '',
  ]
  await writeFile(join(link, 'index.js'), index.join('\n'))
  await writeFile(join(link, 'index.d.ts'), `export * from ${JSON.stringify(api)}\n`)

  // plugin-plugins creates this file with the same shape when it is missing, and keeps
  // every other field when it rewrites it.
  const file = join(config.dataDir, 'package.json')
  const data = JSON.parse(await readFile(file, 'utf8').catch(() => JSON.stringify({name: config.name, oclif: {plugins: [], schema: 1}, private: true})))
  data.dependencies = {...data.dependencies, [config.name]: `file:./${API_LINK_DIR}`}
  await writeFile(file, JSON.stringify(data, null, 2))
}

export default hook
