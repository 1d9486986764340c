import {spawn} from 'node:child_process'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import type {AwsContext} from '../../../../src/lib/aws/context.js'
import {FORWARDED_SIGNALS, runNativeExecSession} from '../../../../src/lib/exec/ssm/exec-session.js'
import {type AgentServer, startAgentServer} from '../../../emulator/agent/server.js'
import {Console, until} from './harness.js'

type Listener = (...args: unknown[]) => void

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..', '..', '..', '..')

/**
 * What a signal does to this process's handlers, without raising a real one (mocha has
 * handlers of its own): calls only the listeners added since `before` was taken.
 */
function raise(signal: NodeJS.Signals, before: Listener[]): number {
  const added = (process.listeners(signal) as Listener[]).filter((listener) => !before.includes(listener))
  for (const listener of added) listener(signal)
  return added.length
}

const listenersOf = (signal: NodeJS.Signals) => [...process.listeners(signal)] as Listener[]

describe('runNativeExecSession: signals with piped input (no terminal)', function () {
  this.timeout(20_000)
  let srv: AgentServer
  let context: AwsContext

  beforeEach(async () => {
    srv = await startAgentServer()
    context = {endpoint: srv.endpoint, endpointFromFlag: true, maxAttempts: 1, region: 'eu-west-1', regionSource: 'flag'}
  })

  afterEach(async () => {
    await srv.stop()
  })

  it('forwards SIGINT as Ctrl-C (0x03) and SIGQUIT as Ctrl-\\ (0x1c) to the remote side, stays connected, and removes its handlers', async () => {
    expect(FORWARDED_SIGNALS.map((s) => s.signal)).to.include.members(['SIGINT', 'SIGQUIT'])
    const before = {SIGINT: listenersOf('SIGINT'), SIGQUIT: listenersOf('SIGQUIT')}
    const session = srv.agent.createSession({
      command: `trap 'echo got-quit' QUIT; trap 'echo got-int; exit 7' INT; echo ready; while :; do sleep 0.05; done`,
    })
    const io = new Console()
    const running = runNativeExecSession({context, io: {stderr: io.stderr, stdin: io.stdin, stdout: io.stdout, terminal: null}, session, target: 'ecs:c_t_r'})
    await io.waitFor(/ready/)

    expect(raise('SIGQUIT', before.SIGQUIT)).to.equal(1)
    await io.waitFor(/got-quit/)
    expect(raise('SIGINT', before.SIGINT)).to.equal(1)
    await io.waitFor(/got-int/)

    // The remote command saw both keys and chose to exit; its code comes back.
    expect(await running).to.equal(7)
    const keys = srv.agent.events.filter((e) => e.type === 'input').map((e) => e.detail)
    expect(keys).to.deep.equal(['1c', '03'])
    expect(listenersOf('SIGINT')).to.deep.equal(before.SIGINT)
    expect(listenersOf('SIGQUIT')).to.deep.equal(before.SIGQUIT)
  })

  it('SIGINT before the shell is live cancels the start: 130, handlers removed', async () => {
    const before = listenersOf('SIGINT')
    const session = srv.agent.createSession({command: 'echo never-shown; sleep 5'})
    const io = new Console()
    const running = runNativeExecSession({context, io: {stderr: io.stderr, stdin: io.stdin, stdout: io.stdout, terminal: null}, session, target: 'ecs:c_t_r'})
    // The handlers are in place as soon as the call returns its promise.
    expect(raise('SIGINT', before)).to.equal(1)
    expect(await running).to.equal(130)
    expect(listenersOf('SIGINT')).to.deep.equal(before)
    expect(srv.agent.events.some((e) => e.type === 'input')).to.equal(false)
  })

  it('removes its handlers when the session fails too', async () => {
    const before = {SIGINT: listenersOf('SIGINT'), SIGQUIT: listenersOf('SIGQUIT'), SIGTERM: listenersOf('SIGTERM')}
    const session = srv.agent.createSession({})
    srv.agent.expireToken(session.sessionId)
    const io = new Console()
    let failure: Error | undefined
    try {
      await runNativeExecSession({context, io: {stderr: io.stderr, stdin: io.stdin, stdout: io.stdout, terminal: null}, session, target: 'ecs:c_t_r'})
    } catch (error) {
      failure = error as Error
    }

    expect(failure?.name).to.equal('SessionError')
    await until(() => listenersOf('SIGINT').length === before.SIGINT.length)
    expect(listenersOf('SIGINT')).to.deep.equal(before.SIGINT)
    expect(listenersOf('SIGQUIT')).to.deep.equal(before.SIGQUIT)
    expect(listenersOf('SIGTERM')).to.deep.equal(before.SIGTERM)
  })

  it('a real SIGINT to a client with piped stdin reaches the remote command as Ctrl-C; the client does not die with 130', async function () {
    if (process.platform === 'win32') this.skip()
    const session = srv.agent.createSession({command: `trap 'echo got-int; exit 7' INT; echo ready; while :; do sleep 0.05; done`})
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'native-client.ts')], {
      cwd: root,
      env: {...process.env, KMS_ENDPOINT: srv.endpoint, SESSION_ID: session.sessionId, STREAM_URL: session.streamUrl, TARGET: 'ecs:c_t_r', TOKEN_VALUE: session.tokenValue},
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    const exited = new Promise<number | null>((resolve) => {
      child.on('exit', (code) => resolve(code))
    })
    try {
      await until(() => output.includes('ready'), 15_000)
      child.kill('SIGINT')
      expect(await exited).to.equal(7)
      expect(output).to.contain('got-int')
      expect(srv.agent.events.filter((e) => e.type === 'input').map((e) => e.detail)).to.deep.equal(['03'])
    } finally {
      child.kill('SIGKILL')
    }
  })
})
