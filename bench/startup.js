#!/usr/bin/env node
/**
 * Start-up time of the built CLI against bare `node -e 0`, measured in the same run.
 *
 *   npm run bench:startup                    # 21 runs per case, after a warm-up
 *   node bench/startup.js --runs 31          # more runs
 *   node bench/startup.js --bin /tmp/x/bin/taskonaut   # an installed copy instead of bin/run.js
 *   node bench/startup.js --json             # one JSON document on stdout
 *
 * The "no code cache" rows (TASKONAUT_CODE_CACHE=0) show what the first run after an install or
 * upgrade costs, before the V8 code cache exists; they are reported but not held to the goal.
 * Runs are interleaved (node, version, help, config, node, version, ...) so a noisy neighbour on
 * a shared machine slows every case alike instead of skewing one. The goal (issue 2) is at most
 * 2.5x `node -e 0` for each command. Needs a build first (`npm run build`).
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const GOAL = 2.5
const root = join(dirname(fileURLToPath(import.meta.url)), '..')

function option(name, fallback) {
  const i = process.argv.indexOf(name)
  return i === -1 ? fallback : process.argv[i + 1]
}

const runs = Math.max(15, Number(option('--runs', '21')))
const json = process.argv.includes('--json')
const bin = option('--bin', undefined)

// An installed bin is a shell-visible executable (symlink or shim); the repo's is run through node.
const cli = bin ? [bin] : [process.execPath, join(root, 'bin', 'run.js')]
if (!bin && !existsSync(join(root, 'dist'))) {
  console.error('No dist/ folder: run `npm run build` first.')
  process.exit(1)
}

const configDir = mkdtempSync(join(tmpdir(), 'taskonaut-bench-'))
// A clean environment: no saved settings, no CI switch, and no AWS_* that could change behaviour.
const env = {...process.env, NO_COLOR: '1', TASKONAUT_CACHE_DIR: join(configDir, 'cache'), TASKONAUT_CONFIG_DIR: configDir}
for (const key of Object.keys(env)) {
  if (key.startsWith('AWS_') || ['CI', 'DEBUG', 'NODE_ENV', 'NODE_OPTIONS', 'TASKONAUT_CODE_CACHE'].includes(key)) delete env[key]
}

const noCache = {...env, TASKONAUT_CODE_CACHE: '0'}

const commands = [['--version'], ['--help'], ['config', 'show']]
const cases = [
  {argv: [process.execPath, '-e', '0'], env, name: 'node -e 0'},
  ...commands.map((args) => ({argv: [...cli, ...args], env, goal: true, name: `taskonaut ${args.join(' ')}`})),
  ...commands.map((args) => ({argv: [...cli, ...args], env: noCache, name: `  ${args.join(' ')}, no code cache`})),
]

function once({argv, env}) {
  const start = process.hrtime.bigint()
  const result = spawnSync(argv[0], argv.slice(1), {encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe']})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0) {
    throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr.trim().split('\n')[0]}`)
  }

  return ms
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

try {
  // Warm-up: fill the OS file cache (and any compile cache) before measuring.
  for (let i = 0; i < 2; i++) for (const c of cases) once(c)

  const samples = cases.map(() => [])
  for (let i = 0; i < runs; i++) cases.forEach((c, j) => samples[j].push(once(c)))

  const base = median(samples[0])
  const rows = cases.map((c, j) => {
    const ms = median(samples[j])
    return {case: c.name.trim(), goal: Boolean(c.goal), medianMs: Math.round(ms), minMs: Math.round(Math.min(...samples[j])), ratio: Number((ms / base).toFixed(2))}
  })
  const ok = rows.every((r) => !r.goal || r.ratio <= GOAL)

  if (json) {
    console.log(JSON.stringify({runs, goal: GOAL, node: process.version, ok, rows}, null, 2))
  } else {
    console.log(`start-up, median of ${runs} interleaved runs after a warm-up (node ${process.version})`)
    console.log(`${'case'.padEnd(34)}${'median'.padStart(9)}${'min'.padStart(9)}${'ratio'.padStart(8)}`)
    rows.forEach((r, j) => {
      const mark = r.goal ? (r.ratio <= GOAL ? '  ok' : `  over ${GOAL}x`) : ''
      console.log(`${cases[j].name.padEnd(34)}${`${r.medianMs} ms`.padStart(9)}${`${r.minMs} ms`.padStart(9)}${`${r.ratio}x`.padStart(8)}${mark}`)
    })

    console.log(ok ? `every command within ${GOAL}x node -e 0` : `goal missed: each command should be within ${GOAL}x node -e 0`)
  }

  process.exitCode = ok ? 0 : 1
} finally {
  rmSync(configDir, {force: true, recursive: true})
}
