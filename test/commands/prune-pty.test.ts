import {spawn} from '@lydell/node-pty'
import {expect} from 'chai'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {type Emulator, startEmulator} from '../emulator/index.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
// What bin/dev.js does (src/ through tsx), inline: arguments follow at process.argv[1..].
const LAUNCH = `import {execute} from '@oclif/core'; await execute({args: process.argv.slice(1), development: true, dir: ${JSON.stringify(pathToFileURL(join(ROOT, 'bin', 'dev.js')).href)}})`
// Terminal escape sequences (colours, cursor moves) stripped, to read what a person sees.
const ESC = String.fromCharCode(27)
const plain = (text: string) => text.replaceAll(new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, 'g'), '')

/**
 * End to end in a real pseudo-terminal: the real prompts (type-to-search, select, checkbox,
 * input, confirm) and listr2's progress, against the emulator with throttling on.
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

  it('walks family → scope → pick → type the name → confirm → progress → results', async () => {
    const term = spawn(process.execPath, ['--import', 'tsx', '--no-warnings', '--input-type=module', '-e', LAUNCH, 'prune', '--keep', '3'], {
      cols: 120,
      cwd: ROOT,
      env: {...process.env, AWS_ENDPOINT_URL: emulator.endpoint, TASKONAUT_TIME_SCALE: '20', TERM: 'xterm-256color'} as Record<string, string>,
      rows: 40,
    })
    let out = ''
    term.onData((d) => (out += d))
    const exited = new Promise<number>((resolve) => term.onExit(({exitCode}) => resolve(exitCode)))
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))
    const waitFor = async (text: string, ms = 20_000) => {
      const t0 = Date.now()
      while (!plain(out).includes(text)) {
        if (Date.now() - t0 > ms) throw new Error(`no "${text}" in:\n${plain(out).slice(-3000)}`)
        await wait(50)
      }
    }

    try {
      await waitFor('Task definition family')
      await waitFor('[27 eligible]') // 30 − LATEST − 2 KEEP, counted before the usage check
      term.write('web')
      await wait(300)
      term.write('\r')
      await waitFor('Where should usage be checked')
      term.write('\r') // every cluster
      await waitFor('Which revisions of web')
      expect(plain(out)).to.match(/25\s+IN-USE\s+protected\s+service prod\/web/)
      term.write('\u001B[B\u001B[B\u001B[B') // "Pick them one by one"
      await wait(200)
      term.write('\r')
      await waitFor('space toggles')
      term.write('\u001B[B ') // down to 29 (KEEP) and tick it: a person may pick a kept one
      await wait(200)
      term.write('\r')
      await waitFor('Type "web"')
      term.write('web\r')
      await waitFor('Go ahead?')
      term.write('y\r')
      expect(await exited).to.equal(0)
      const text = plain(out)
      expect(text).to.match(/Deregister: deregister \d+\/\d+/)
      expect(text).to.match(/to deregister:\s+17\s+11-24, 26-27, 29/)
      expect(text).to.contain('Deregistered 17, deleted 27, failed 0')
    } catch (error) {
      term.kill()
      throw error
    }
  })
})
