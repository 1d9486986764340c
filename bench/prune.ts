/**
 * taskonaut prune against the local emulator with ECS throttling on and a time scale.
 *
 *  1. Throughput: a family of 500 ACTIVE + 500 INACTIVE revisions, --keep 5, usage checked in
 *     3 clusters. Prints the floor the token buckets allow for the same work (ECS-FACTS.md),
 *     the achieved wall time of the whole command, their ratio (goal ≤ 1.15), throttles seen
 *     by the emulator and errors shown to the user (goal 0).
 *  2. Scale: analysis (--dry-run --json) of a family of 5,000 revisions across 50 clusters.
 *     Prints peak memory of the CLI process (goal < 150 MiB) and the API calls it made.
 *
 * The CLI runs as a child process (src/ through tsx like bin/dev.js, so no build is needed) with
 * TASKONAUT_TIME_SCALE set to the emulator's time scale: a test/bench hook read only by the
 * prune pacing code, so its client-side buckets refill as fast as the emulator's.
 *
 * Run: npm run build && npm run bench:prune   (or npx tsx bench/prune.ts [--scale=20] [--src | --built=DIR])
 */
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import type {PruneJson} from '../src/commands/prune.js'
import {ECS_BUCKETS, type EcsCategory, categoryOf, floorSeconds} from '../src/lib/ecs/buckets.js'
import {type Emulator, type Scenario, startEmulator} from '../test/emulator/index.js'

// The SDK's Node 22 notice is not part of what is measured.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const argv = process.argv.slice(2)
const option = (name: string) => argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`))?.split('=')[1]
const SCALE = Number(option('scale') ?? 20)
/**
 * Which CLI: the build users get (bin/run.js; by default when dist/ has the prune command),
 * --built=DIR a built checkout elsewhere, or --src: src/ through tsx (no build needed, but the
 * tsx loader thread adds some 60-90 MiB to the process, so the memory figure is not the tool's).
 */
const BUILT = argv.includes('--src')
  ? undefined
  : (option('built') ?? (existsSync(join(ROOT, 'dist', 'commands', 'prune.js')) ? ROOT : undefined))
const sandbox = mkdtempSync(join(tmpdir(), 'taskonaut-bench-'))
writeFileSync(join(sandbox, 'aws-config'), '')
writeFileSync(join(sandbox, 'aws-credentials'), '')
// Reports the child's peak resident memory (kilobytes) on its way out.
const RSS_HOOK = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss='+process.resourceUsage().maxRSS+'\\n'))`

// What bin/dev.js does (src/ through tsx, development mode), inline so the bench does not
// depend on that file's flags; `node -e code a b` puts the arguments at process.argv[1..].
const LAUNCH = `import {execute} from '@oclif/core'; await execute({args: process.argv.slice(1), development: true, dir: ${JSON.stringify(pathToFileURL(join(ROOT, 'bin', 'dev.js')).href)}})`

interface Run {
  code: number | null
  stdout: string
  stderr: string
  wallMs: number
  maxRssKiB: number
  /** Date.now() at exit, to compare with the emulator's request timestamps. */
  endedAt: number
}

function parse(run: Run): PruneJson {
  try {
    return JSON.parse(run.stdout) as PruneJson
  } catch {
    throw new Error(`The CLI did not print JSON (exit ${run.code}):\n${run.stderr}\n${run.stdout.slice(0, 2000)}`)
  }
}

function runCli(emulator: Emulator, args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_CONFIG_FILE: join(sandbox, 'aws-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SHARED_CREDENTIALS_FILE: join(sandbox, 'aws-credentials'),
    HOME: sandbox,
    NO_COLOR: '1',
    PATH: process.env.PATH,
    TASKONAUT_CONFIG_DIR: join(sandbox, 'config'),
    TASKONAUT_TIME_SCALE: String(SCALE),
  }
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const node = BUILT
      ? ['--import', RSS_HOOK, join(BUILT, 'bin', 'run.js'), ...args]
      : ['--import', 'tsx', '--no-warnings', '--import', RSS_HOOK, '--input-type=module', '-e', LAUNCH, ...args]
    const child = spawn(process.execPath, node, {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const rss = /maxrss=(\d+)/.exec(stderr)
      resolve({code, endedAt: Date.now(), maxRssKiB: rss ? Number(rss[1]) : Number.NaN, stderr: stderr.replace(/maxrss=\d+\n/, ''), stdout, wallMs: performance.now() - started})
    })
  })
}

/** Calls per ECS throttling category, from the emulator's request log. */
function callsByCategory(emulator: Emulator): Map<EcsCategory, number> {
  const out = new Map<EcsCategory, number>()
  for (const r of emulator.requests) {
    const c = r.service === 'ecs' ? categoryOf(r.operation) : undefined
    if (c) out.set(c, (out.get(c) ?? 0) + 1)
  }

  return out
}

function byOperation(emulator: Emulator): string {
  const counts = new Map<string, number>()
  for (const r of emulator.requests) counts.set(`${r.service}:${r.operation}`, (counts.get(`${r.service}:${r.operation}`) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op} ${n}`).join(', ')
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`

async function throughput(): Promise<boolean> {
  const scenario: Scenario = {
    clusters: ['blue', 'green', 'batch'].map((name, i) => ({
      name,
      services: [{desiredCount: 1, name: 'web', taskDefinition: `bench:${1000 - i}`}],
    })),
    families: [{family: 'bench', inactive: '1-500', revisions: 1000}],
  }
  const emulator = await startEmulator({logResponses: false, scenario, throttling: true, timeScale: SCALE})
  try {
    const run = await runCli(emulator, ['prune', '--family', 'bench', '--keep', '5', '--yes', '--json', '--cluster', 'blue', '--cluster', 'green', '--cluster', 'batch'])
    const doc = parse(run)
    const calls = callsByCategory(emulator)
    const throttles = emulator.requests.filter((r) => r.errorType === 'ThrottlingException').length
    const deregs = calls.get('task definition modify') ?? 0
    const deleteCalls = emulator.requests.filter((r) => r.operation === 'DeleteTaskDefinitions' && !r.errorType).length
    // Reads (analysis) come first and run concurrently across categories; then the two
    // write budgets overlap, and the last delete waits for the last deregistration.
    const readCategories = [...calls].filter(([c]) => c.endsWith('read'))
    const readFloor = Math.max(0, ...readCategories.map(([c, n]) => floorSeconds(n, ECS_BUCKETS[c])))
    const writeFloor = Math.max(floorSeconds(deregs - throttles, ECS_BUCKETS['task definition modify']), floorSeconds(deleteCalls, ECS_BUCKETS['task definition deletion']))
    const floorRealMs = ((readFloor + writeFloor) * 1000) / SCALE
    const execFloorMs = (writeFloor * 1000) / SCALE
    const failures = doc.result?.failures.length ?? -1
    // From the CLI's first AWS call to its exit: what the buckets govern (node start excluded).
    const firstCall = Math.min(...emulator.requests.map((r) => r.at))
    const fromFirstCallMs = run.endedAt - firstCall
    const ratio = fromFirstCallMs / floorRealMs
    console.log(`\n1) 500 ACTIVE + 500 INACTIVE, keep 5, usage in 3 clusters, throttling on, time scale ${SCALE}×, CLI from ${BUILT ? `the build in ${BUILT}` : 'src/ (tsx)'}`)
    console.log(`   work: ${doc.result?.deregistered} deregistered (${deregs} calls), ${doc.result?.deleted} deleted (${deleteCalls} calls of ≤10)`)
    console.log(`   floor from the token buckets: ${(readFloor + writeFloor).toFixed(1)} s simulated = ${fmt(floorRealMs)} real (reads ${readFloor.toFixed(1)} s, writes ${writeFloor.toFixed(1)} s)`)
    console.log(`   achieved, first AWS call to exit (analysis + execution): ${fmt(fromFirstCallMs)}  ratio ${ratio.toFixed(3)}  (goal ≤ 1.15)`)
    console.log(`   achieved, whole command including node start-up: ${fmt(run.wallMs)}  ratio ${(run.wallMs / floorRealMs).toFixed(3)}`)
    console.log(`   achieved, execution phase alone: ${fmt(doc.result?.elapsedMs ?? 0)} vs its floor ${fmt(execFloorMs)}  ratio ${((doc.result?.elapsedMs ?? 0) / execFloorMs).toFixed(3)}`)
    console.log(`   throttled calls (retried unseen): ${throttles}; errors shown to the user: ${failures}; exit code ${run.code}`)
    console.log(`   peak memory ${(run.maxRssKiB / 1024).toFixed(1)} MiB; calls: ${byOperation(emulator)}`)
    if (run.code !== 0) console.log(run.stderr)
    return ratio <= 1.15 && failures === 0 && run.code === 0
  } finally {
    await emulator.stop()
  }
}

async function scale(): Promise<boolean> {
  const scenario: Scenario = {
    clusters: Array.from({length: 50}, (_, i) => ({
      name: `c${i + 1}`,
      services: [
        {desiredCount: 2, name: 'api', taskDefinition: `huge:${5000 - i}`},
        {desiredCount: 1, name: 'worker', taskDefinition: `huge:${4000 - i}`},
      ],
      tasks: [{taskDefinition: `huge:${3000 - i}`}],
    })),
    families: [{family: 'huge', inactive: '1-2500', revisions: 5000}],
  }
  const emulator = await startEmulator({logResponses: false, scenario, throttling: true, timeScale: SCALE})
  try {
    const run = await runCli(emulator, ['prune', '--family', 'huge', '--keep', '5', '--dry-run', '--json'])
    const doc = parse(run)
    const s = doc.families[0].summary
    const peak = run.maxRssKiB / 1024
    const describes = emulator.calls('DescribeTaskDefinition').length
    console.log(`\n2) analysis of 5,000 revisions across 50 clusters (--dry-run --json), time scale ${SCALE}×, CLI from ${BUILT ? `the build in ${BUILT}` : 'src/ (tsx)'}`)
    console.log(`   plan: ${s.total} revisions, ${s.protected} protected, ${s.kept} kept, ${s.toDeregister} to deregister, ${s.toDelete} to delete`)
    console.log(`   peak memory of the CLI process: ${peak.toFixed(1)} MiB (goal < 150 MiB); wall ${fmt(run.wallMs)}`)
    console.log(`   API calls: ${emulator.requests.length} (DescribeTaskDefinition: ${describes}) — ${byOperation(emulator)}`)
    if (run.code !== 0) console.log(run.stderr)
    return peak < 150 && describes === 0 && run.code === 0 && s.total === 5000
  } finally {
    await emulator.stop()
  }
}

const ok1 = await throughput()
const ok2 = await scale()
console.log(`\n${ok1 && ok2 ? 'PASS' : 'FAIL'}: throughput ${ok1 ? 'ok' : 'missed'}, scale ${ok2 ? 'ok' : 'missed'}`)
process.exitCode = ok1 && ok2 ? 0 : 1
