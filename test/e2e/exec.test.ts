/**
 * The built CLI in a real pseudo-terminal: bare `taskonaut` → cluster → task (with Back) →
 * container → the stand-in session-manager-plugin, which waits for Ctrl-C. Needs a build
 * (`npm run build`); skips, saying why, when dist/ has no exec command.
 */
import {spawn as ptySpawn} from '@lydell/node-pty'
import {expect} from 'chai'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {type Emulator, startEmulator} from '../emulator/index.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const run = join(root, 'bin', 'run.js')
const fixtures = join(root, 'test', 'fixtures')

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replaceAll(/\u001B\[[\d;?]*[A-Za-z]|\u001B[()][AB012]|\r/g, '')

/** Terminals still open, killed after each test so a failure never leaves one behind. */
const running = new Set<{kill: () => void}>()

/** A program in a pseudo-terminal, with a way to wait for text on its screen. */
function terminal(args: string[], env: NodeJS.ProcessEnv) {
  const term = ptySpawn(process.execPath, [run, ...args], {cols: 160, cwd: root, env: env as Record<string, string>, name: 'xterm-256color', rows: 40})
  let screen = ''
  let mark = 0
  const exited = new Promise<number>((resolve) => {
    term.onExit(({exitCode}) => resolve(exitCode))
  })
  term.onData((data) => {
    screen += data
  })
  running.add(term)
  void exited.then(() => running.delete(term))
  return {
    exited,
    screen: () => plain(screen),
    /** Resolves when `text` appears after the last thing waited for. */
    async waitFor(text: string, timeoutMs = 15_000): Promise<void> {
      const until = Date.now() + timeoutMs
      while (Date.now() < until) {
        const at = plain(screen).indexOf(text, mark)
        if (at !== -1) {
          mark = at + text.length
          return
        }

        await new Promise((r) => setTimeout(r, 25))
      }

      throw new Error(`"${text}" did not appear. Screen:\n${plain(screen).slice(-6000)}`)
    },
    write: (data: string) => term.write(data),
  }
}

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
    for (const term of running) term.kill()
    running.clear()
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

  it('bare taskonaut: cluster → task → Back → cluster → task → the plugin; Ctrl-C reaches the plugin, its exit code is ours', async () => {
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
