/**
 * Runtime code (copied to dist/code-cache.js by scripts/bundle.js): loads a CommonJS bundle
 * through V8's code cache, so the next start skips parsing and compiling it.
 *
 * Why by hand: Node 20 has no module compile cache (module.enableCompileCache arrived in Node 22),
 * and compiling the bundled @oclif/core is a large share of taskonaut's start-up. V8 checks the
 * cached data against its own version, flags and the source, and rejects a stale cache
 * (`script.cachedDataRejected`); the file name also carries the bundle's content hash and the
 * Node version, so upgrades never reuse a stale entry.
 *
 * The cache is written once, when the process exits after a run that had no valid cache, so it
 * holds the functions that run actually compiled; caches of older builds for the same Node
 * version are removed then. It lives in the user's own cache folder
 * (created 0700), never in a shared temp folder: loading code from a place other users can write
 * would let them run code as you. Any failure to read or write it just means a normal compile.
 */
import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {homedir} from 'node:os'
import {basename, dirname, join} from 'node:path'
import {Script} from 'node:vm'

/**
 * Where oclif puts the CLI's cache (same rules as oclif's config.cacheDir): $<BIN>_CACHE_DIR,
 * else ~/Library/Caches/<dirname> on macOS, %LOCALAPPDATA%\<dirname> on Windows,
 * $XDG_CACHE_HOME/<dirname> or ~/.cache/<dirname> elsewhere.
 */
export function cacheDir({bin, dirname: name, env = process.env, platform = process.platform, home = homedir()}) {
  const own = env[`${bin.toUpperCase().replaceAll('-', '_')}_CACHE_DIR`]
  if (own) return own
  if (platform === 'darwin') return join(home, 'Library', 'Caches', name)
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, name)
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), name)
}

/**
 * Runs the CommonJS file like require() would and returns its module.exports.
 *
 * - hash: the bundle's content hash (from the build), part of the cache file name.
 * - cacheDir: folder for the cache; undefined disables caching.
 * - importer: `(specifier) => import(specifier)` from an ES module. Code compiled with vm.Script
 *   cannot call import() itself without an experimental flag, so the build rewrote the bundle's
 *   dynamic imports (oclif loading command files) to call this, passed in as `__taskonautImport`.
 */
export function loadCommonJS(file, {cacheDir: folder, hash, importer}) {
  const source = readFileSync(file, 'utf8')
  const cacheFile = folder ? join(folder, `${hash}-${process.version}-${process.arch}.v8cache`) : undefined
  let cachedData
  if (cacheFile) {
    try {
      cachedData = readFileSync(cacheFile)
    } catch {
      // No cache yet: compile normally and write one at exit.
    }
  }

  const wrapper = `(function (exports, require, module, __filename, __dirname, __taskonautImport) {${source}\n})`
  const script = new Script(wrapper, {cachedData, filename: file})
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    process.once('exit', () => writeCache(script, cacheFile))
  }

  const module = {exports: {}}
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file), importer)
  return module.exports
}

function writeCache(script, cacheFile) {
  try {
    mkdirSync(dirname(cacheFile), {mode: 0o700, recursive: true})
    // Write then rename, so a concurrent start never reads half a file.
    const partial = `${cacheFile}.${process.pid}.tmp`
    writeFileSync(partial, script.createCachedData(), {mode: 0o600})
    renameSync(partial, cacheFile)
    // Older builds' caches for this Node version are dead weight (~0.5 MB each): drop them.
    const suffix = basename(cacheFile).slice(basename(cacheFile).indexOf('-'))
    for (const name of readdirSync(dirname(cacheFile))) {
      if (name.endsWith(suffix) && name !== basename(cacheFile)) rmSync(join(dirname(cacheFile), name), {force: true})
    }
  } catch {
    // Read-only home, full disk...: the next start compiles normally.
  }
}
