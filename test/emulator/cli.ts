/**
 * `npm run emulator -- [--scenario demo] [--port 4566] [--throttling] [--time-scale 10]
 *   [--error-rate 0.05] [--latency 20] [--no-agent] [--log]`
 *
 * Starts the emulator in the foreground, prints its endpoint and the environment to export,
 * and runs until Ctrl-C.
 */
import {parseArgs} from 'node:util'

import {startEmulator} from './index.js'

const HELP = `Usage: npm run emulator -- [options]

  --scenario NAME|FILE  empty (default), demo, large, or a path to a scenario JSON file
  --port N              port on 127.0.0.1 (default: a free one)
  --throttling          answer ThrottlingException like AWS (token buckets per category)
  --time-scale N        run simulated time N times faster (deployments, task start, refill)
  --error-rate R        answer a fraction R (0..1) of calls with a 5xx server error
  --latency MS          add MS milliseconds before every answer
  --no-agent            no Session Manager agent (by default exec sessions get a real local shell)
  --log                 print each call on stderr
  --region R            default eu-west-1
  --account ID          default 123456789012
`

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      account: {type: 'string'},
      'no-agent': {type: 'boolean'},
      'error-rate': {type: 'string'},
      help: {short: 'h', type: 'boolean'},
      latency: {type: 'string'},
      log: {type: 'boolean'},
      port: {type: 'string'},
      region: {type: 'string'},
      scenario: {type: 'string'},
      throttling: {type: 'boolean'},
      'time-scale': {type: 'string'},
    },
    strict: true,
  })
  if (values.help) {
    process.stdout.write(HELP)
    return
  }

  const num = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined
    const n = Number(v)
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a number, got "${v}"`)
    return n
  }

  const emulator = await startEmulator({
    accountId: values.account,
    // On by default: `taskonaut exec` against the standalone emulator opens a real shell.
    agent: !values['no-agent'],
    faults: {latencyMs: num('latency', values.latency), serverErrorRate: num('error-rate', values['error-rate'])},
    port: num('port', values.port),
    region: values.region,
    scenario: values.scenario ?? 'empty',
    throttling: values.throttling,
    timeScale: num('time-scale', values['time-scale']),
  })

  const env = emulator.env()
  process.stdout.write(`ECS emulator (scenario ${values.scenario ?? 'empty'}) listening on ${emulator.endpoint}\n\n`)
  process.stdout.write('Point the AWS SDK, the AWS CLI or taskonaut at it:\n\n')
  for (const [k, v] of Object.entries(env)) process.stdout.write(`export ${k}=${v}\n`)
  process.stdout.write('\nCtrl-C to stop.\n')

  if (values.log) {
    let seen = 0
    const timer = setInterval(() => {
      for (; seen < emulator.requests.length; seen++) {
        const r = emulator.requests[seen]
        process.stderr.write(`${new Date(r.at).toISOString()} ${r.service}:${r.operation} ${r.status}${r.errorType ? ` ${r.errorType}` : ''}\n`)
      }

      if (emulator.requests.length > 10_000) {
        emulator.clearLog()
        seen = 0
      }
    }, 200)
    timer.unref()
  }

  const stop = async () => {
    await emulator.stop()
    process.exit(0)
  }

  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
