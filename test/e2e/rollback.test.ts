/**
 * The built CLI in a real pseudo-terminal: the interactive rollback (type-to-search lists,
 * preview, confirmation, watch) and Ctrl-C while watching. Needs a build (`npm run build`);
 * skips, saying why, when dist/ has no rollback command.
 */
import {expect} from 'chai'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type Emulator, startEmulator} from '../emulator/index.js'
import {ROLLBACK_SCENARIO} from '../fixtures/rollback-scenario.js'
import {killTerminals, openCli, ROOT} from '../helpers/pty.js'

describe('rollback in a real terminal (e2e, built CLI)', function () {
  this.timeout(60_000)
  let emulator: Emulator
  let sandbox: string

  before(function () {
    if (!existsSync(join(ROOT, 'dist', 'commands', 'rollback', 'index.js')) || !existsSync(join(ROOT, 'oclif.manifest.json'))) {
      this.skip() // no build: run `npm run build` first
    }
  })
  beforeEach(async () => {
    emulator = await startEmulator({scenario: ROLLBACK_SCENARIO, timeScale: 200})
    sandbox = mkdtempSync(join(tmpdir(), 'taskonaut-rollback-e2e-'))
  })
  afterEach(async () => {
    killTerminals()
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
    const t = openCli(['rollback'], {env: env(), rows: 50})
    await t.waitFor('Cluster')
    t.write('prod')
    // Enter only once the list is filtered down (nothing listed after the choice).
    await t.waitFor('❯ prod\n\n')
    t.write('\r')
    await t.waitFor('Service in prod')
    t.write('web')
    // Every service row carries its revision, running/desired and rollout state.
    await t.waitFor(/❯ web {2,}web:12 {2,}2\/2 running {2}COMPLETED\n\n/)
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

  it('dates revisions beyond the first screen while the list is shown, and finds them by filtering', async () => {
    await emulator.stop()
    emulator = await startEmulator({
      scenario: {
        clusters: [{name: 'prod', services: [{desiredCount: 1, name: 'big', taskDefinition: 'big:300'}]}],
        families: [{everyHours: 6, family: 'big', revisions: 300}],
      },
      throttling: true,
      timeScale: 20,
    })
    const t = openCli(['rollback', '-c', 'prod', '-s', 'big'], {env: {...env(), TASKONAUT_TIME_SCALE: '20'}, rows: 50})
    await t.waitFor('Roll back big:300 to')
    // An old revision, far past the first screen: filtered, it shows its age and date.
    t.write('big:42')
    await t.waitFor(/❯ big:42 {2}2 months ago\n/)
    await t.waitFor(/registered \d{4}-\d\d-\d\d \d\d:\d\d UTC/)
    t.write('\u0003')
    expect(await t.exited).to.equal(130)
    expect(emulator.requests.filter((r) => r.errorType === 'ThrottlingException')).to.deep.equal([])
    expect(emulator.calls('UpdateService')).to.have.length(0)
  })

  it('Ctrl-C while watching stops watching, not the deployment, and exits 130', async () => {
    const t = openCli(['rollback', '-c', 'prod', '-s', 'legacy', '--to-revision', '2', '--yes', '--wait'], {env: env(), rows: 50})
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
