import {expect} from 'chai'
import {join} from 'node:path'

import {type Emulator, startEmulator} from '../emulator/index.js'
import {killTerminals, openTerminal, ROOT} from '../helpers/pty.js'

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * End to end in a real pseudo-terminal: the real prompts (type-to-search, select, checkbox,
 * input, confirm) and listr2's progress, against the emulator with throttling on. Runs the
 * sources through bin/dev.js, so it needs no build.
 */
describe('prune in a terminal (pty)', function () {
  this.timeout(60_000)
  let emulator: Emulator

  before(async () => {
    emulator = await startEmulator({
      scenario: {
        clusters: [{name: 'prod', services: [{name: 'web', taskDefinition: 'web:25'}]}, {name: 'staging'}],
        families: [
          {family: 'web', inactive: '1-10', revisions: 30},
          {family: 'api', revisions: 3},
        ],
      },
      throttling: true,
      timeScale: 20,
    })
  })
  after(() => emulator.stop())
  afterEach(() => killTerminals())

  it('walks family → scope → pick → type the name → confirm → progress → results', async () => {
    const env = {...process.env, AWS_ENDPOINT_URL: emulator.endpoint, TASKONAUT_TIME_SCALE: '20'}
    const t = openTerminal(process.execPath, ['--import', 'tsx', '--no-warnings', join(ROOT, 'bin', 'dev.js'), 'prune', '--keep', '3'], {cols: 120, env})
    await t.waitFor('Task definition family')
    await t.waitFor('[27 eligible]') // 30 − LATEST − 2 KEEP, counted before the usage check
    t.write('web')
    await wait(300)
    t.write('\r')
    await t.waitFor('Where should usage be checked')
    t.write('\r') // every cluster
    await t.waitFor('Which revisions of web')
    expect(t.screen()).to.match(/25\s+IN-USE\s+protected\s+service prod\/web/)
    t.write('\u001B[B\u001B[B\u001B[B') // "Pick them one by one"
    await wait(200)
    t.write('\r')
    await t.waitFor('space toggles')
    t.write('\u001B[B ') // down to 29 (KEEP) and tick it: a person may pick a kept one
    await wait(200)
    t.write('\r')
    await t.waitFor('Type "web"')
    t.write('web\r')
    await t.waitFor('Go ahead?')
    t.write('y\r')
    expect(await t.exited).to.equal(0)
    const text = t.screen()
    expect(text).to.match(/Deregister: deregister \d+\/\d+/)
    expect(text).to.match(/to deregister:\s+17\s+11-24, 26-27, 29/)
    expect(text).to.contain('Deregistered 17, deleted 27, failed 0')
  })
})
