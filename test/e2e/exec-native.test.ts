/**
 * The built CLI in a real pseudo-terminal with the built-in Session Manager client (the
 * default): bare `taskonaut` → cluster → task → container → a real shell behind the
 * emulator's agent, with no session-manager-plugin anywhere on PATH. An outer shell records
 * the terminal settings before and after, so a terminal left in raw mode fails the test.
 * Needs a build (`npm run build`); skips when dist/ has no exec command.
 */
import {expect} from 'chai'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type Emulator, startEmulator} from '../emulator/index.js'
import {BUILT_CLI, killTerminals, openTerminal, ROOT} from '../helpers/pty.js'

describe('exec with the built-in client in a real terminal (e2e, built CLI)', function () {
  this.timeout(60_000)
  let emulator: Emulator
  let sandbox: string

  before(async function () {
    if (!existsSync(join(ROOT, 'dist', 'commands', 'exec.js')) || !existsSync(join(ROOT, 'oclif.manifest.json'))) {
      this.skip() // no build: run `npm run build` first
    }

    emulator = await startEmulator({agent: true, scenario: 'demo'})
  })
  after(async () => emulator?.stop())
  beforeEach(() => {
    sandbox = mkdtempSync(join(tmpdir(), 'taskonaut-native-e2e-'))
  })
  afterEach(() => {
    killTerminals()
    rmSync(sandbox, {force: true, recursive: true})
  })

  it('bare taskonaut: cluster → task → container → a shell; types a command, reads the answer, exits 0, terminal restored', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...emulator.env(),
      HOME: sandbox,
      // Only the system's own programs: no session-manager-plugin can be found.
      PATH: '/usr/bin:/bin',
      TASKONAUT_CACHE_DIR: join(sandbox, 'cache'),
      TASKONAUT_CONFIG_DIR: join(sandbox, 'config'),
    }
    // test/setup.ts sets NODE_ENV=test, which would make oclif run src/ through tsx.
    delete env.NODE_ENV
    delete env.CI
    const script = `stty -a > before; "${process.execPath}" "${BUILT_CLI}"; echo "[rc=$?]"; stty -a > after; echo "[done]"`
    const t = openTerminal('/bin/sh', ['-c', script], {cols: 120, cwd: sandbox, env, rows: 30})

    await t.waitFor('Cluster')
    t.write('prod')
    await t.waitFor(/❯ prod {2}\(\d+ services, \d+ running\)\n\n/)
    t.write('\r')
    await t.waitFor('Task in prod')
    t.write('frontend')
    await t.waitFor(/❯ frontend:25 .*\n(.*frontend:25.*\n)?\n/)
    t.write('\r')
    // frontend has two containers: app and envoy.
    await t.waitFor('❯ app  RUNNING  exec agent RUNNING')
    t.write('\u001B[B')
    await t.waitFor('❯ envoy  RUNNING  exec agent RUNNING')
    t.write('\r')
    await t.waitFor(/Exec into envoy in prod\/[\da-f]{32}/)
    await t.waitFor(/[$#] $/) // the shell prompt ($ or, as root with the system bashrc, #)
    t.write('stty size; echo $((6*7))\r')
    await t.waitFor('30 120\n')
    await t.waitFor(/(?:^|\n)42\n/)
    t.write('exit\r')
    await t.waitFor('[rc=0]')
    await t.waitFor('[done]')
    expect(await t.exited).to.equal(0)

    expect(emulator.calls('ExecuteCommand').at(-1)?.params).to.deep.include({container: 'envoy', interactive: true})
    const before = readFileSync(join(sandbox, 'before'), 'utf8')
    const after = readFileSync(join(sandbox, 'after'), 'utf8')
    expect(after).to.equal(before)
    // Cooked mode, echo on: not left raw.
    expect(after).to.match(/(?<!-)icanon/).and.match(/(?<![-\w])echo /)
  })
})
