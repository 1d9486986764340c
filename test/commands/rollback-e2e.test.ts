/**
 * The built CLI in a real pseudo-terminal: the interactive rollback (type-to-search lists,
 * preview, confirmation, watch) and Ctrl-C while watching. Needs a build (`npm run build`);
 * skips, saying why, when dist/ has no rollback command.
 */
import {spawn as ptySpawn} from '@lydell/node-pty'
import {expect} from 'chai'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {type Emulator, type Scenario, startEmulator} from '../emulator/index.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const run = join(root, 'bin', 'run.js')

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replaceAll(/\u001B\[[\d;?]*[A-Za-z]|\u001B[()][AB012]|\r/g, '')

/** The same small account as rollback.test.ts. */
const SCENARIO: Scenario = {
  clusters: [
    {
      name: 'prod',
      services: [
        {desiredCount: 2, history: ['web:10', 'web:11'], name: 'web', taskDefinition: 'web:12'},
        {desiredCount: 2, history: ['shop:4'], name: 'shop', taskDefinition: 'shop:5'},
        {circuitBreaker: {enable: false, rollback: false}, desiredCount: 1, name: 'legacy', taskDefinition: 'legacy:5'},
        {deploymentController: 'CODE_DEPLOY', name: 'payments', taskDefinition: 'payments:4'},
      ],
    },
    {name: 'staging'},
  ],
  families: [
    {everyHours: 24, family: 'web', inactive: '1-4', revisions: 12},
    {broken: '3', family: 'shop', revisions: 6},
    {broken: '2', family: 'legacy', revisions: 5},
    {family: 'payments', revisions: 4},
  ],
}

const running = new Set<{kill: () => void}>()

function terminal(args: string[], env: NodeJS.ProcessEnv) {
  const term = ptySpawn(process.execPath, [run, ...args], {cols: 160, cwd: root, env: env as Record<string, string>, name: 'xterm-256color', rows: 50})
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
    /** Resolves when `text` (or a match of the pattern) appears after the last thing waited for. */
    async waitFor(text: string | RegExp, timeoutMs = 15_000): Promise<void> {
      const until = Date.now() + timeoutMs
      while (Date.now() < until) {
        const rest = plain(screen).slice(mark)
        const found = typeof text === 'string' ? {at: rest.indexOf(text), length: text.length} : ((m) => ({at: m?.index ?? -1, length: m?.[0].length ?? 0}))(text.exec(rest))
        if (found.at !== -1) {
          mark += found.at + found.length
          return
        }

        await new Promise((r) => setTimeout(r, 25))
      }

      throw new Error(`"${text}" did not appear. Screen:\n${plain(screen).slice(-6000)}`)
    },
    write: (data: string) => term.write(data),
  }
}

describe('rollback in a real terminal (e2e, built CLI)', function () {
  this.timeout(60_000)
  let emulator: Emulator
  let sandbox: string

  before(function () {
    if (!existsSync(join(root, 'dist', 'commands', 'rollback', 'index.js')) || !existsSync(join(root, 'oclif.manifest.json'))) {
      this.skip() // no build: run `npm run build` first
    }
  })
  beforeEach(async () => {
    emulator = await startEmulator({scenario: SCENARIO, timeScale: 200})
    sandbox = mkdtempSync(join(tmpdir(), 'taskonaut-rollback-e2e-'))
  })
  afterEach(async () => {
    for (const term of running) term.kill()
    running.clear()
    await emulator?.stop()
    rmSync(sandbox, {force: true, recursive: true})
  })

  function env(): NodeJS.ProcessEnv {
    const e: NodeJS.ProcessEnv = {
      ...process.env,
      ...emulator.env(),
      HOME: sandbox,
      TASKONAUT_CACHE_DIR: join(sandbox, 'cache'),
      TASKONAUT_CONFIG_DIR: join(sandbox, 'config'),
      TASKONAUT_POLL_INTERVAL_MS: '20',
    }
    // test/setup.ts sets NODE_ENV=test, which would make oclif run src/ through tsx.
    delete e.NODE_ENV
    delete e.CI
    return e
  }

  it('cluster → service → revision → preview → "Proceed with rollback? (12 → 10)" → watched to the end', async () => {
    const t = terminal(['rollback'], env())
    await t.waitFor('Cluster')
    t.write('prod')
    // Enter only once the list is filtered down (nothing listed after the choice).
    await t.waitFor('❯ prod\n\n')
    t.write('\r')
    await t.waitFor('Service in prod')
    t.write('web')
    await t.waitFor(/❯ web\n\n/)
    t.write('\r')
    await t.waitFor('Roll back web:12 to')
    t.write('web:10')
    await t.waitFor(/❯ web:10 [^\n]*\n\n/)
    t.write('\r')
    await t.waitFor('image tag')
    await t.waitFor('Proceed with rollback? (12 → 10)')
    await t.waitFor('❯ Yes, roll back')
    t.write('\r')
    await t.waitFor('Rolled back: web runs web:10')
    expect(await t.exited).to.equal(0)
    expect(emulator.calls('UpdateService')).to.have.length(1)
    expect(t.screen()).not.to.match(/EEXIT|Error/)
  })

  it('Ctrl-C while watching stops watching, not the deployment, and exits 130', async () => {
    const t = terminal(['rollback', '-c', 'prod', '-s', 'legacy', '--to-revision', '2', '--yes', '--wait'], env())
    await t.waitFor('Watching (Ctrl-C stops watching')
    await t.waitFor('legacy:2: ')
    t.write('\u0003')
    await t.waitFor('Stopped watching (Ctrl-C). The deployment goes on in ECS.')
    await t.waitFor('aws ecs describe-service-deployments')
    expect(await t.exited).to.equal(130)
    const service = emulator.account.clusters.get('prod')!.services.get('legacy')!
    expect(service.deployments[0].taskDefinition.revision).to.equal(2)
  })
})
