/**
 * taskonaut exec with a cluster of 5,000 running tasks, against the local emulator with ECS
 * throttling on: the time from starting the CLI to the task prompt on screen, and the API
 * calls made to get there, beside the floor those calls need.
 *
 * The floor: ListTasks returns 100 ARNs a page and each page needs the previous one's token, so
 * 50 pages are 50 calls one after another; DescribeTasks takes at most 100 tasks, so 50 more
 * calls, which can all overlap the ListTasks chain. 100 calls fit the "cluster resource read"
 * bucket's burst of 100, so throttling adds nothing at the floor. The bench times that chain
 * directly (50 sequential ListTasks from this process, warm) and the CLI's start-up to its
 * first request, and prints the achieved time beside their sum, and beside the naive order
 * (all pages, then all batches one by one).
 *
 * Runs the built CLI (bin/run.js; `npm run build` first) in a real pseudo-terminal.
 * Run: npx tsx bench/exec.ts [tasks=5000]
 */
import {DescribeTasksCommand, ECSClient, ListTasksCommand} from '@aws-sdk/client-ecs'
import {spawn} from '@lydell/node-pty'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {startEmulator} from '../test/emulator/index.js'

// The SDK's Node 22 notice is not part of what is measured.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const TASKS = Number(process.argv[2] ?? 5000)
const SERVICES = Math.max(1, Math.ceil(TASKS / 100))
const CLUSTER = 'gen-cluster-00'

if (!existsSync(join(ROOT, 'dist', 'commands', 'exec.js'))) {
  console.error('No build: run `npm run build` first.')
  process.exit(1)
}

const emulator = await startEmulator({
  logResponses: false,
  scenario: {generate: {clusters: 1, families: 10, revisionsPerFamily: 3, servicesPerCluster: SERVICES, tasksPerService: Math.round(TASKS / SERVICES)}},
  throttling: true,
})
const sandbox = mkdtempSync(join(tmpdir(), 'taskonaut-bench-exec-'))
const emulatorEnv = emulator.env()
const ecs = new ECSClient({
  credentials: {accessKeyId: emulatorEnv.AWS_ACCESS_KEY_ID, secretAccessKey: emulatorEnv.AWS_SECRET_ACCESS_KEY},
  endpoint: emulator.endpoint,
  maxAttempts: 8,
  region: 'eu-west-1',
  retryMode: 'adaptive',
})

/** Lets the throttling buckets refill completely between measurements. */
const rest = () => new Promise((r) => setTimeout(r, 6000))

async function listChain(): Promise<string[][]> {
  const pages: string[][] = []
  let nextToken: string | undefined
  do {
    const page = await ecs.send(new ListTasksCommand({cluster: CLUSTER, desiredStatus: 'RUNNING', maxResults: 100, nextToken}))
    pages.push(page.taskArns ?? [])
    nextToken = page.nextToken
  } while (nextToken)
  return pages
}

// Warm the SDK (first request loads and signs), then time the ListTasks chain alone.
await ecs.send(new ListTasksCommand({cluster: CLUSTER, maxResults: 1}))
await rest()
let t0 = performance.now()
const pages = await listChain()
const chainMs = performance.now() - t0
await rest()
// The naive order: every page, then every DescribeTasks batch one by one.
t0 = performance.now()
for (const batch of await listChain()) await ecs.send(new DescribeTasksCommand({cluster: CLUSTER, tasks: batch}))
const naiveMs = performance.now() - t0
await rest()

emulator.clearLog()
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  ...emulator.env(),
  HOME: sandbox,
  TASKONAUT_CACHE_DIR: join(sandbox, 'cache'),
  TASKONAUT_CONFIG_DIR: join(sandbox, 'config'),
}
delete env.NODE_ENV
delete env.CI
const started = Date.now()
t0 = performance.now()
const term = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), 'exec', '--cluster', CLUSTER], {cols: 200, cwd: ROOT, env, name: 'xterm', rows: 40})
let screen = ''
const prompt = `Task in ${CLUSTER} (${pages.flat().length} running`
const promptMs = await new Promise<number>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no task prompt after 60 s:\n${screen.slice(-2000)}`)), 60_000)
  term.onData((data) => {
    screen += data
    if (screen.includes(prompt)) {
      clearTimeout(timer)
      resolve(performance.now() - t0)
    }
  })
})
term.kill()

const requests = emulator.requests.filter((r) => r.service === 'ecs')
const count = (op: string) => requests.filter((r) => r.operation === op).length
const throttled = requests.filter((r) => r.errorType === 'ThrottlingException').length
const firstCallMs = Math.min(...requests.map((r) => r.at)) - started
const lastCallMs = Math.max(...requests.map((r) => r.at)) - started
const floorCalls = 2 * pages.length
const floorMs = firstCallMs + chainMs

const ms = (n: number) => `${Math.round(n)} ms`
console.log(`taskonaut exec --cluster ${CLUSTER}: ${pages.flat().length} running tasks, emulator throttling on`)
console.log(`  time to the task prompt       ${ms(promptMs)}`)
console.log(`    start-up to first request   ${ms(firstCallMs)}`)
console.log(`    first to last request       ${ms(lastCallMs - firstCallMs)}`)
console.log(`    last request to the prompt  ${ms(promptMs - lastCallMs)}`)
console.log(`  floor (start-up + ${pages.length} ListTasks in a row)  ${ms(floorMs)}  → achieved/floor ${(promptMs / floorMs).toFixed(2)}`)
console.log(`  naive order (list all, then describe one by one, no start-up)  ${ms(naiveMs)}`)
console.log(`  API calls   ListTasks ${count('ListTasks')}  DescribeTasks ${count('DescribeTasks')}  other ${requests.length - count('ListTasks') - count('DescribeTasks')}  throttled ${throttled}`)
console.log(`  floor calls ListTasks ${pages.length}  DescribeTasks ${pages.length}  (${floorCalls} in all)`)

await emulator.stop()
ecs.destroy()
rmSync(sandbox, {force: true, recursive: true})
