import {captureOutput} from '@oclif/test'
import {expect} from 'chai'
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import AutocompleteOptions from '../../../src/commands/autocomplete/options.js'
import {type Emulator, startEmulator} from '../../emulator/index.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const run = (argv: string[]) => captureOutput(async () => AutocompleteOptions.run(argv, ROOT))

describe('autocomplete:options (hidden)', () => {
  let emulator: Emulator
  const saved = {...process.env}
  before(async () => {
    emulator = await startEmulator({scenario: 'demo'})
  })
  after(async () => emulator.stop())
  beforeEach(async () => {
    process.env.TASKONAUT_CACHE_DIR = await mkdtemp(join(tmpdir(), 'ac-'))
    process.env.AWS_ENDPOINT_URL = emulator.endpoint
  })
  afterEach(() => {
    for (const key of ['TASKONAUT_CACHE_DIR', 'AWS_ENDPOINT_URL']) {
      if (saved[key] === undefined) delete process.env[key]
      else process.env[key] = saved[key]
    }
  })

  it('prints one cluster name per line for the word after --cluster', async () => {
    const {error, stderr, stdout} = await run(['--', 'taskonaut', 'exec', '--cluster', ''])
    expect(error).to.equal(undefined)
    expect(stdout.trim().split('\n')).to.deep.equal(['ops', 'prod', 'staging'])
    expect(stderr).to.equal('')
  })

  it('still prints the names it fetched when the cache folder cannot be written', async () => {
    const notADir = join(process.env.TASKONAUT_CACHE_DIR!, 'file')
    await writeFile(notADir, 'a file where the cache folder should be')
    process.env.TASKONAUT_CACHE_DIR = notADir
    const {error, stderr, stdout} = await run(['--', 'taskonaut', 'exec', '--cluster', ''])
    expect(error).to.equal(undefined)
    expect(stdout.trim().split('\n')).to.deep.equal(['ops', 'prod', 'staging'])
    expect(stderr).to.equal('')
  })

  it('prints nothing, and no error, when AWS cannot be reached and nothing is cached', async () => {
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9'
    const {error, stderr, stdout} = await run(['--', 'taskonaut', 'exec', '--cluster', ''])
    expect(error).to.equal(undefined)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('')
  })

  it('a flag that is not live for the command on the line: nothing printed, exit 1 (the shell falls back to oclif)', async () => {
    process.exitCode = undefined
    const {error, stdout} = await run(['--', 'taskonaut', 'exec', '--region', ''])
    const code = process.exitCode
    process.exitCode = undefined
    expect(error).to.equal(undefined)
    expect(stdout).to.equal('')
    expect(code).to.equal(1)
    // A live flag answers with exit 0, also when it has nothing to offer.
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9'
    await run(['--', 'taskonaut', 'exec', '--cluster', ''])
    expect(process.exitCode).to.equal(undefined)
  })

  it('--script prints shell functions that know every live flag spelling', async () => {
    const bash = await run(['--script', 'bash'])
    const pattern = bash.stdout.split('\n').find((l) => l.trim().endsWith(')') && l.trim().startsWith('--'))!.trim().slice(0, -1).split('|')
    // exec's flags, and whatever other commands call cluster, service or family.
    expect(pattern).to.include.members(['--cluster', '-c', '--service', '-s'])
    expect(pattern.every((w) => /^(--(cluster|service|family)|-[A-Za-z])$/.test(w))).to.equal(true)
    expect(bash.stdout).to.include('complete -o default -F _taskonaut_live taskonaut')
    const zsh = await run(['--script', 'zsh'])
    expect(zsh.stdout).to.include('compdef _taskonaut_live taskonaut').and.include('autocomplete:options --')
  })
})
