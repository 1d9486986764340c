/**
 * The built CLI in a real pseudo-terminal: bare `taskonaut` → cluster → task (with Back) →
 * container → the stand-in session-manager-plugin (chosen by the usePlugin setting), which
 * waits for Ctrl-C. Needs a build (`npm run build`); skips, saying why, when dist/ has no
 * exec command. The built-in client's end-to-end test is exec-native.test.ts.
 */
import {expect} from 'chai'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'

import {type Emulator, startEmulator} from '../emulator/index.js'
import {killTerminals, openCli, ROOT as root} from '../helpers/pty.js'

const fixtures = join(root, 'test', 'fixtures')
const terminal = (args: string[], env: NodeJS.ProcessEnv) => openCli(args, {env})

describe('exec in a real terminal (e2e, built CLI)', function () {
  this.timeout(60_000)
  let emulator: Emulator
  let sandbox: string

  before(async function () {
    if (!existsSync(join(root, 'dist', 'commands', 'exec.js')) || !existsSync(join(root, 'oclif.manifest.json'))) {
      this.skip() // no build: run `npm run build` first
    }

    emulator = await startEmulator({scenario: 'demo'})
  })
  after(async () => emulator?.stop())
  beforeEach(() => {
    sandbox = mkdtempSync(join(tmpdir(), 'taskonaut-exec-e2e-'))
  })
  afterEach(() => {
    killTerminals()
    rmSync(sandbox, {force: true, recursive: true})
  })

  function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const e: NodeJS.ProcessEnv = {
      ...process.env,
      ...emulator.env(),
      FAKE_PLUGIN_RECORD: join(sandbox, 'plugin.json'),
      HOME: sandbox,
      PATH: `${fixtures}${delimiter}${process.env.PATH}`,
      TASKONAUT_CACHE_DIR: join(sandbox, 'cache'),
      TASKONAUT_CONFIG_DIR: join(sandbox, 'config'),
      ...extra,
    }
    // test/setup.ts sets NODE_ENV=test, which would make oclif run src/ through tsx.
    delete e.NODE_ENV
    delete e.CI
    return e
  }

  it('bare taskonaut with the usePlugin setting: cluster → task → Back → cluster → task → the plugin; Ctrl-C reaches the plugin, its exit code is ours', async () => {
    // Bare taskonaut takes no flags: the saved setting chooses the plugin.
    mkdirSync(join(sandbox, 'config'))
    writeFileSync(join(sandbox, 'config', 'config.json'), JSON.stringify({usePlugin: true}))
    const t = terminal([], env({FAKE_PLUGIN_EXIT: '5', FAKE_PLUGIN_WAIT_SIGINT: '1'}))
    await t.waitFor('Cluster')
    t.write('ops')
    // Enter only once the list is filtered down to ops (nothing listed after it).
    await t.waitFor('❯ ops  (1 service, 1 running)\n\n')
    t.write('\r')
    await t.waitFor('Task in ops (1 running; type to search, "back" to go back)')
    t.write('back')
    await t.waitFor('❯ ← Back')
    t.write('\r')
    await t.waitFor('Cluster')
    t.write('ops')
    // Enter only once the list is filtered down to ops (nothing listed after it).
    await t.waitFor('❯ ops  (1 service, 1 running)\n\n')
    t.write('\r')
    await t.waitFor('Task in ops')
    await t.waitFor('service:bastion')
    t.write('\r')
    // bastion has one container: no container question.
    await t.waitFor('plugin-ready')
    t.write('\u0003')
    await t.waitFor('plugin-got-sigint')
    expect(await t.exited).to.equal(5)
    expect(t.screen()).not.to.include('EEXIT')

    const seen = JSON.parse(readFileSync(join(sandbox, 'plugin.json'), 'utf8'))
    expect(seen.argv).to.have.length(7)
    expect(seen.argv.slice(2, 4)).to.deep.equal(['eu-west-1', 'StartSession'])
    const session = JSON.parse(seen.session)
    expect(seen.argv.join(' ')).not.to.include(session.TokenValue)
    expect(t.screen()).not.to.include(session.TokenValue)
    // The cluster list and the task list were each fetched once despite Back.
    expect(emulator.calls('ListClusters')).to.have.length(1)
    expect(emulator.calls('ListTasks').filter((c) => (c.params as {cluster?: string}).cluster?.endsWith('ops'))).to.have.length(1)
  })

  it('Ctrl-C at a prompt exits quietly with 130', async () => {
    const t = terminal(['exec', '--cluster', 'prod'], env())
    await t.waitFor('Task in prod')
    t.write('\u0003')
    expect(await t.exited).to.equal(130)
    expect(t.screen(), t.screen()).not.to.match(/Error|at .*\.js:\d+/)
  })
})
