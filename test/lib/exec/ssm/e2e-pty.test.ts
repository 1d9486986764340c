import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {spawn} from '@lydell/node-pty'
import {expect} from 'chai'

import {type AgentServer, startAgentServer} from '../../../emulator/agent/server.js'
import {sleep} from './harness.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..', '..', '..', '..')

describe('native session end to end in a real terminal', function () {
  this.timeout(40_000)
  let srv: AgentServer
  let dir: string

  beforeEach(async () => {
    srv = await startAgentServer()
    dir = mkdtempSync(join(tmpdir(), 'taskonaut-e2e-'))
  })

  afterEach(async () => {
    await srv.stop()
    rmSync(dir, {force: true, recursive: true})
  })

  it('types into the remote shell, passes Ctrl-C through raw mode, and leaves the terminal as it found it', async () => {
    const session = srv.agent.createSession({target: 'ecs:demo_t_r'})
    const fixture = join(here, 'fixtures', 'native-client.ts')
    // The outer shell records the terminal settings before and after, and the client's exit code.
    const script = `stty -a > ${dir}/before; "${process.execPath}" --import tsx "${fixture}"; echo "[rc=$?]"; stty -a > ${dir}/after; echo "[done]"`
    const term = spawn('/bin/sh', ['-c', script], {
      cols: 90,
      cwd: root,
      env: {...process.env, KMS_ENDPOINT: srv.endpoint, SESSION_ID: session.sessionId, STREAM_URL: session.streamUrl, TARGET: 'ecs:demo_t_r', TOKEN_VALUE: session.tokenValue},
      name: 'xterm',
      rows: 25,
    })
    let screen = ''
    term.onData((data) => {
      screen += data
    })
    const waitFor = async (pattern: RegExp, from = 0) => {
      const deadline = Date.now() + 20_000
      while (!pattern.test(screen.slice(from))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}: ${JSON.stringify(screen.slice(-300))}`)
        await sleep(20)
      }
    }

    try {
      await waitFor(/\$ $/)
      term.write('stty size; echo "typed-$((2*21))"\r')
      await waitFor(/25 90\r+\n/)
      await waitFor(/typed-42/)
      let mark = screen.length
      term.write('sleep 20\r')
      await waitFor(/sleep 20\r+\n/, mark)
      await sleep(300)
      mark = screen.length
      // With raw mode on, this is a byte for the remote shell, not SIGINT for the client.
      term.write('\u0003')
      await waitFor(/\$ $/, mark)
      term.write('echo "remote-rc=$?"; exit 6\r')
      await waitFor(/remote-rc=130/)
      await waitFor(/\[rc=6\]/)
      await waitFor(/\[done\]/)
    } finally {
      term.kill()
    }

    expect(readFileSync(join(dir, 'after'), 'utf8')).to.equal(readFileSync(join(dir, 'before'), 'utf8'))
    expect(readFileSync(join(dir, 'after'), 'utf8')).to.match(/(?<!-)icanon/)
  })

  it('a refused session: one clear line, exit 1, terminal untouched', async () => {
    const session = srv.agent.createSession({})
    srv.agent.expireToken(session.sessionId)
    const fixture = join(here, 'fixtures', 'native-client.ts')
    const script = `stty -a > ${dir}/before; "${process.execPath}" --import tsx "${fixture}"; echo "[rc=$?]"; stty -a > ${dir}/after`
    const term = spawn('/bin/sh', ['-c', script], {
      cwd: root,
      env: {...process.env, SESSION_ID: session.sessionId, STREAM_URL: session.streamUrl, TOKEN_VALUE: session.tokenValue},
    })
    let screen = ''
    term.onData((data) => {
      screen += data
    })
    await new Promise<void>((done) => {
      term.onExit(() => done())
    })
    expect(screen).to.contain('Error: The session was closed before it started: The session token has expired')
    expect(screen).to.contain('[rc=1]')
    expect(readFileSync(join(dir, 'after'), 'utf8')).to.equal(readFileSync(join(dir, 'before'), 'utf8'))
  })
})
