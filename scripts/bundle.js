#!/usr/bin/env node
/**
 * Bundles the CLI for a fast start. Runs in `npm run build` after `tsc` and before `oclif manifest`.
 *
 * Why: importing @oclif/core from node_modules reads ~160 CommonJS files (core, semver,
 * minimatch, ejs...) and costs about as much as starting node itself. So:
 *
 * 1. dist/oclif-core.cjs — @oclif/core and its dependencies in one CommonJS file, loaded by
 *    dist/oclif-core.js (generated here) through V8's code cache (scripts/code-cache.js →
 *    dist/code-cache.js): the first run compiles it, later runs skip parsing and compiling.
 *    Node 20 has no built-in module compile cache (module.enableCompileCache is Node 22+).
 * 2. Every file under src/commands and src/hooks becomes its own ES module at the path tsc gave
 *    it (dist/commands/config/show.js ...), so oclif's default "pattern" command discovery, the
 *    manifest, bin/dev.js (which runs src/ through tsx) and new commands all keep working with no
 *    list to maintain, and a command loads only its own code. src/lib is bundled in; code shared
 *    by several commands goes to dist/chunks/. Their `@oclif/core` imports point at
 *    dist/oclif-core.js, so bin/run.js and the commands share one core.
 *
 * Left out (loaded from node_modules, and only when imported): every package.json dependency
 * other than @oclif/core — the AWS SDK, @inquirer/prompts, listr2, ws... — so the lazy
 * `await import('@aws-sdk/client-ecs')` in src/lib/aws/clients.ts stays lazy and
 * --help/--version/config never load the SDK.
 *
 * dist/index.js (the public API for plugins), dist/lib and the .d.ts files stay plain tsc output:
 * a plugin uses node_modules' @oclif/core, as oclif plugins always do.
 *
 * BUNDLE_ANALYZE=1 prints what each output file is made of.
 */
import {analyzeMetafile, build} from 'esbuild'
import {createHash} from 'node:crypto'
import {copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const analyze = Boolean(process.env.BUNDLE_ANALYZE)

// Development-mode tooling that @oclif/core looks for with require() inside try/catch (to read
// tsconfig.json and run .ts sources); never used by the built CLI, and typescript alone is 6 MB.
const devOnly = ['typescript', 'ts-node', 'tsx']

/** All .ts files under a src folder (tests and declarations excluded), recursively. */
function sources(folder) {
  let entries
  try {
    entries = readdirSync(join(root, 'src', folder), {recursive: true, withFileTypes: true})
  } catch {
    return []
  }

  return entries
    .filter((e) => e.isFile() && /\.m?ts$/.test(e.name) && !/\.(d|test|spec)\.m?ts$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
}

const kb = (n) => `${(n / 1024).toFixed(0)} kB`

// ---- 1. @oclif/core as one CommonJS file -------------------------------------------------

/**
 * Code compiled through vm.Script cannot use import() (Node wants an experimental flag), so
 * oclif's own dynamic imports of command and hook files (`await import(url)` in module-loader.js)
 * call `__taskonautImport`, which dist/oclif-core.js provides from an ES module. Imports of a
 * string literal are left for esbuild to bundle.
 */
const rewritten = new Map()
const dynamicImports = {
  name: 'oclif-dynamic-imports',
  setup(b) {
    b.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/].*\.js$/}, (args) => {
      const text = readFileSync(args.path, 'utf8')
      let count = 0
      const contents = text.replaceAll(/\bawait import\((?!\s*['"`])/g, () => {
        count++
        return 'await __taskonautImport('
      })
      if (count > 0) rewritten.set(relative(root, args.path), count)
      return {contents, loader: 'js'}
    })
  },
}

const coreFile = join(dist, 'oclif-core.cjs')
const core = await build({
  absWorkingDir: root,
  bundle: true,
  external: devOnly,
  format: 'cjs',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: analyze,
  // Whitespace only: names stay readable in stack traces (DEBUG=*).
  minifyWhitespace: true,
  outfile: coreFile,
  platform: 'node',
  plugins: [dynamicImports],
  stdin: {contents: "module.exports = require('@oclif/core')", loader: 'js', resolveDir: root, sourcefile: 'oclif-core-entry.cjs'},
  target: 'node20',
})

const loader = [...rewritten.keys()].find((f) => f.endsWith(`lib${sep}module-loader.js`))
if (!loader) {
  throw new Error('bundle: found no `await import(` in @oclif/core/lib/module-loader.js: oclif changed how it loads commands; update scripts/bundle.js.')
}

const coreSource = readFileSync(coreFile)
const hash = createHash('sha256').update(coreSource).digest('hex').slice(0, 16)
// The facade re-exports the same names as @oclif/core's main entry.
const names = Object.keys(createRequire(import.meta.url)('@oclif/core')).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default')

copyFileSync(join(root, 'scripts', 'code-cache.js'), join(dist, 'code-cache.js'))
writeFileSync(
  join(dist, 'oclif-core.js'),
  `// Generated by scripts/bundle.js: @oclif/core (bundled in oclif-core.cjs), loaded through V8's code cache.
// ${pjson.oclif.bin.toUpperCase()}_CODE_CACHE=0 turns the cache off.
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {cacheDir, loadCommonJS} from './code-cache.js'

const off = process.env.${pjson.oclif.bin.toUpperCase()}_CODE_CACHE === '0'
const core = loadCommonJS(fileURLToPath(new URL('./oclif-core.cjs', import.meta.url)), {
  cacheDir: off ? undefined : join(cacheDir(${JSON.stringify({bin: pjson.oclif.bin, dirname: pjson.oclif.dirname})}), 'code-cache'),
  hash: ${JSON.stringify(hash)},
  importer: (specifier) => import(specifier),
})

export const {${names.join(', ')}} = core
export default core
`,
)

// ---- 2. commands and hooks as ES modules -------------------------------------------------

const CORE = '@taskonaut/bundled-oclif-core'
const subpaths = new Set()
/** `@oclif/core` → the shared dist/oclif-core.js (the path is fixed per output file below). */
const sharedCore = {
  name: 'shared-oclif-core',
  setup(b) {
    b.onResolve({filter: /^@oclif\/core$/}, () => ({external: true, path: CORE}))
    b.onResolve({filter: /^@oclif\/core\//}, (args) => {
      subpaths.add(args.path)
      return undefined // bundled normally: correct, only larger
    })
  },
}

const entryPoints = [...sources('commands'), ...sources('hooks')].map((file) => ({
  in: file,
  out: relative(join(root, 'src'), file).replace(/\.m?ts$/, ''),
}))

rmSync(join(dist, 'chunks'), {force: true, recursive: true})
const cli = await build({
  absWorkingDir: root,
  // For CommonJS code bundled into these ES modules, should a package ever need it.
  banner: {js: "import {createRequire as __taskonautCreateRequire} from 'node:module'; const require = __taskonautCreateRequire(import.meta.url);"},
  bundle: true,
  chunkNames: 'chunks/[name]-[hash]',
  entryPoints,
  external: [...Object.keys(pjson.dependencies ?? {}).filter((n) => n !== '@oclif/core'), ...devOnly],
  format: 'esm',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  minifyWhitespace: true,
  outdir: dist,
  platform: 'node',
  plugins: [sharedCore],
  splitting: true,
  target: 'node20',
  write: false,
})

for (const file of cli.outputFiles) {
  let rel = relative(dirname(file.path), join(dist, 'oclif-core.js')).split(sep).join('/')
  if (!rel.startsWith('.')) rel = `./${rel}`
  mkdirSync(dirname(file.path), {recursive: true})
  writeFileSync(file.path, file.text.replaceAll(JSON.stringify(CORE), JSON.stringify(rel)))
}

if (subpaths.size > 0) {
  console.error(`bundle: ${[...subpaths].join(', ')} bundled separately; import from '@oclif/core' instead to share the one core.`)
}

if (analyze) {
  console.error(await analyzeMetafile(core.metafile))
  console.error(await analyzeMetafile(cli.metafile))
}

const esmBytes = cli.outputFiles.reduce((sum, f) => sum + f.contents.byteLength, 0)
console.error(`bundle: @oclif/core ${kb(coreSource.byteLength)} (dist/oclif-core.cjs); ${entryPoints.length} commands and hooks, ${kb(esmBytes)} in ${cli.outputFiles.length} files`)
