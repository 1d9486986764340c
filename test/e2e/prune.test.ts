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
          {family: 'jobs', revisions: 30},
        ],
      },
      throttling: true,
      timeScale: 20,
    })
  })
  after(() => emulator.stop())
  afterEach(() => killTerminals())

  const cli = (args: string[]) =>
    openTerminal(process.execPath, ['--import', 'tsx', '--no-warnings', join(ROOT, 'bin', 'dev.js'), 'prune', ...args], {
      cols: 120,
      env: {...process.env, AWS_ENDPOINT_URL: emulator.endpoint, TASKONAUT_TIME_SCALE: '20'},
    })

  it('walks family → scope → pick → type the name → confirm → progress → results', async () => {
    const t = cli(['--keep', '3'])
    await t.waitFor('Task definition family')
    await t.waitFor('[27 eligible]') // 30 − LATEST − 2 KEEP, counted before the usage check
    t.write('web')
    await wait(300)
    t.write('\r')
    await t.waitFor('Where should services and tasks be checked')
    t.write('\r') // every cluster
    await t.waitFor('Which revisions of web')
    expect(t.screen()).to.match(/25\s+IN-USE\s+protected\s+service prod\/web/)
    t.write('\u001B[B\u001B[B\u001B[B') // "Pick them one by one"
    await wait(200)
    t.write('\r')
    await t.waitFor('Revisions of web to prune')
    t.write('\u001B[B ') // down to 29 (KEEP) and tick it: a person may pick a kept one
    await wait(200)
    t.write('\r')
    await t.waitFor('Type "web"')
    t.write('web\r')
    await t.waitFor('Go ahead?')
    t.write('y\r')
    expect(await t.exited).to.equal(0)
    const text = t.screen()
    expect(text).to.match(/Revisions of web to prune 27 selected: 1-24, 26-27, 29 \(1 KEEP ticked by hand\)/)
    expect(text).to.match(/Deregister 17\/17 \(/)
    expect(text).to.match(/to deregister:\s+17\s+11-24, 26-27, 29/)
    expect(text).to.contain('⚠ 1 KEEP revision ticked by hand: 29.')
    expect(text).to.contain('Deregistered 17, deleted 27, failed 0')
  })

  it('--family --keep --yes asks nothing in a terminal and prunes', async () => {
    const t = cli(['--family', 'api', '--keep', '1', '--yes'])
    let timer: NodeJS.Timeout | undefined
    const code = await Promise.race([t.exited, new Promise((resolve) => (timer = setTimeout(() => resolve('still waiting at a prompt'), 30_000)))])
    clearTimeout(timer)
    const text = t.screen()
    expect(code, text).to.equal(0)
    expect(text).not.to.contain('Where should')
    expect(text).not.to.contain('Which revisions')
    expect(text).to.contain('Deregistered 2, deleted 2, failed 0')
  })

  it('in the checkbox, digits jump and never tick (no KEEP revision selected); the answer is a count and ranges', async () => {
    const t = cli(['--family', 'jobs', '--keep', '3'])
    await t.waitFor('Where should')
    t.write('\r')
    await t.waitFor('Which revisions of jobs')
    t.write('\u001B[B\u001B[B\u001B[B') // "Pick them one by one"
    await wait(200)
    t.write('\r')
    await t.waitFor('Revisions of jobs to prune')
    t.write('2') // the old checkbox ticked row 2 (29, KEEP) here
    await wait(100)
    t.write('3') // ... and row 3 (28, KEEP); now "23" only moves the cursor to revision 23
    await t.waitFor('❯◉     23')
    t.write('\r')
    await t.waitFor('Type "jobs"')
    t.write('\u0003') // Ctrl-C: nothing is changed
    expect(await t.exited).to.equal(130)
    const text = t.screen()
    expect(text).to.contain('Revisions of jobs to prune 27 selected: 1-27')
    expect(text).to.match(/to deregister:\s+27\s+1-27/)
    expect(text).not.to.contain('ticked by hand')
    expect(emulator.calls('DeregisterTaskDefinition').filter((c) => (c.params as {taskDefinition: string}).taskDefinition.includes('jobs'))).to.have.length(0)
  })
})
