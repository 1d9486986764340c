import {expect} from 'chai'
import {readFile} from 'node:fs/promises'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {Writable} from 'node:stream'
import {fileURLToPath} from 'node:url'

import {PluginSpawnError, runPlugin, SESSION_SIGNALS, withSignalsIgnored} from '../../../src/lib/exec/launch.js'

const FAKE_PLUGIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'session-manager-plugin')

describe('exec plugin launch', () => {
  it('ignores SIGINT, SIGQUIT and SIGTSTP during the session and restores the handlers after', async () => {
    const before = SESSION_SIGNALS.map((s) => process.listenerCount(s))
    let during: number[] = []
    let survived = false
    await withSignalsIgnored(async () => {
      during = SESSION_SIGNALS.map((s) => process.listenerCount(s))
      // Without a listener this would end the test process.
      process.kill(process.pid, 'SIGINT')
      await new Promise((r) => setTimeout(r, 50))
      survived = true
    })
    expect(survived).to.equal(true)
    expect(during).to.deep.equal(before.map((n) => n + 1))
    expect(SESSION_SIGNALS.map((s) => process.listenerCount(s))).to.deep.equal(before)
  })

  it('restores the handlers when the session throws', async () => {
    const before = process.listenerCount('SIGINT')
    await withSignalsIgnored(async () => {
      throw new Error('boom')
    }).catch(() => {})
    expect(process.listenerCount('SIGINT')).to.equal(before)
  })

  it('passes the exit code through and hands the extra environment to the plugin', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'launch-'))
    const record = join(dir, 'record.json')
    const run = await runPlugin(FAKE_PLUGIN, ['AWS_SSM_START_SESSION_RESPONSE_t', 'eu-west-1', 'StartSession', '', '{}', 'e'], {
      AWS_SSM_START_SESSION_RESPONSE_t: '{"SessionId":"s"}',
      FAKE_PLUGIN_EXIT: '42',
      FAKE_PLUGIN_RECORD: record,
    })
    expect(run).to.deep.equal({code: 42, signal: undefined, stderrTail: ''})
    const seen = JSON.parse(await readFile(record, 'utf8'))
    expect(seen.argv).to.have.length(7)
    expect(seen.session).to.equal('{"SessionId":"s"}')
  })

  it('keeps what the plugin says on stderr, and reports death by signal as 128 + n', async () => {
    const passed: string[] = []
    const stderr = new Writable({
      write(chunk, _encoding, done) {
        passed.push(String(chunk))
        done()
      },
    })
    const said = await runPlugin(FAKE_PLUGIN, [], {FAKE_PLUGIN_EXIT: '255', FAKE_PLUGIN_STDERR: 'Cannot perform start session: EOF'}, {stderr})
    expect(said.code).to.equal(255)
    expect(passed.join('')).to.include('Cannot perform start session: EOF')
    expect(said.stderrTail).to.include('Cannot perform start session: EOF')
    const killed = await runPlugin(FAKE_PLUGIN, [], {FAKE_PLUGIN_KILL_SELF: 'SIGTERM'})
    expect(killed).to.include({code: 143, signal: 'SIGTERM'})
  })

  it('a plugin that cannot be started is a PluginSpawnError', async () => {
    const error = await runPlugin('/nonexistent/session-manager-plugin', [], {}).catch((e) => e)
    expect(error).to.be.instanceOf(PluginSpawnError)
    expect(error.code).to.equal('ENOENT')
  })
})
