/**
 * The emulator must never be the bottleneck of a benchmark: 2,000 sequential
 * DescribeTaskDefinition calls through the real SDK against the emulator (large scenario),
 * versus the same calls against a bare HTTP server that answers `{}`, in the same run.
 * Goal: ratio < 2×.  Run: npm run bench:emulator  (or npx tsx bench/emulator.ts [calls])
 */
import {DescribeTaskDefinitionCommand, ECSClient} from '@aws-sdk/client-ecs'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'

import {startEmulator} from '../test/emulator/index.js'

// The SDK's Node 22 notice is not part of what is measured.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const CALLS = Number(process.argv[2] ?? 2000)
const ROUNDS = 3

function client(endpoint: string): ECSClient {
  return new ECSClient({credentials: {accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench'}, endpoint, maxAttempts: 1, region: 'eu-west-1'})
}

async function run(ecs: ECSClient, families: string[]): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < CALLS; i++) {
    const family = families[i % families.length]
    await ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: `${family}:${1 + (i % 100)}`}))
  }

  return performance.now() - t0
}

async function main(): Promise<void> {
  const loadStart = performance.now()
  const emulator = await startEmulator({logResponses: false, scenario: 'large'})
  const loadMs = performance.now() - loadStart
  const families = [...emulator.account.families.keys()]

  const bare = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, {'Content-Length': 2, 'Content-Type': 'application/x-amz-json-1.1'})
      res.end('{}')
    })
  })
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve))
  const bareEndpoint = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`

  const emu = client(emulator.endpoint)
  const plain = client(bareEndpoint)
  // Warm-up: JIT, keep-alive sockets, SDK lazy init.
  await run(emu, families.slice(0, 1)).then(() => emulator.clearLog())
  await run(plain, families.slice(0, 1))

  // Interleaved rounds, best of each, so machine noise hits both sides alike.
  let bestEmu = Number.POSITIVE_INFINITY
  let bestBare = Number.POSITIVE_INFINITY
  for (let r = 0; r < ROUNDS; r++) {
    bestBare = Math.min(bestBare, await run(plain, families))
    emulator.clearLog()
    bestEmu = Math.min(bestEmu, await run(emu, families))
  }

  const answered = emulator.calls('DescribeTaskDefinition').filter((c) => c.status === 200).length
  emu.destroy()
  plain.destroy()
  await emulator.stop()
  await new Promise<void>((resolve) => {
    bare.close(() => resolve())
    bare.closeAllConnections()
  })

  const ratio = bestEmu / bestBare
  console.log(`large scenario load:           ${loadMs.toFixed(0)} ms`)
  console.log(`${CALLS} DescribeTaskDefinition via SDK (best of ${ROUNDS}):`)
  console.log(`  bare {} server:              ${bestBare.toFixed(0)} ms (${((bestBare / CALLS) * 1000).toFixed(0)} µs/call)`)
  console.log(`  emulator:                    ${bestEmu.toFixed(0)} ms (${((bestEmu / CALLS) * 1000).toFixed(0)} µs/call), ${answered} answered 200`)
  console.log(`  ratio:                       ${ratio.toFixed(2)}× (goal < 2×) ${ratio < 2 ? 'OK' : 'OVER'}`)
  if (answered !== CALLS) {
    console.error('some calls failed')
    process.exitCode = 1
  }
}

await main()
