/**
 * The built hidden completion command (`autocomplete:options`), which the shell runs on every
 * TAB: answered from the cache it must not load the AWS SDK (about 100 ms of each TAB). Needs a
 * build; skips (saying why) when dist/ is missing. Speed itself is measured by hand, not here.
 */
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {cacheFile} from '../../src/lib/completion/cache.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const run = join(root, 'bin', 'run.js')
const blocker = join(root, 'test', 'e2e', 'fixtures', 'block-aws-sdk.mjs')

describe('built completion command (e2e)', function () {
  let sandbox: string
  let env: NodeJS.ProcessEnv
  let log: string

  before(function () {
    if (!existsSync(join(root, 'dist', 'oclif-core.js')) || !existsSync(join(root, 'oclif.manifest.json'))) {
      this.skip() // no build: run `npm run build` first
    }
  })

  beforeEach(() => {
    sandbox = mkdtempSync(join(tmpdir(), 'taskonaut-complete-'))
    log = join(sandbox, 'blocked.txt')
    env = {...process.env, BLOCKED_LOG: log, HOME: sandbox, TASKONAUT_CACHE_DIR: join(sandbox, 'cache'), TASKONAUT_DATA_DIR: join(sandbox, 'data')}
    // test/setup.ts sets NODE_ENV=test, which would make oclif run src/ through tsx.
    delete env.NODE_ENV
  })

  afterEach(() => rmSync(sandbox, {force: true, recursive: true}))

  /** The completion of `taskonaut exec --cluster <TAB>`, with the SDK made unloadable. */
  const complete = () =>
    spawnSync(process.execPath, ['--import', blocker, run, 'autocomplete:options', '--', 'taskonaut', 'exec', '--cluster', ''], {
      encoding: 'utf8',
      env,
      timeout: 15_000,
    })
  const blocked = () => (existsSync(log) ? readFileSync(log, 'utf8') : '')

  it('a completion answered from a pre-filled cache loads no @aws-sdk module', () => {
    // The file the command reads for this environment (test/setup.ts: keys, eu-west-1, the endpoint on port 9).
    const file = cacheFile(join(sandbox, 'cache'), {accessKeyId: env.AWS_ACCESS_KEY_ID, endpoint: env.AWS_ENDPOINT_URL, region: env.AWS_REGION!}, 'cluster')
    mkdirSync(dirname(file), {recursive: true})
    writeFileSync(file, JSON.stringify(['cached-one', 'cached-two']))
    const r = complete()
    expect(r.status, r.stderr).to.equal(0)
    expect(r.stdout).to.equal('cached-one\ncached-two\n')
    expect(blocked(), 'modules the cache hit tried to load').to.equal('')
  })

  it('a cache miss does reach for the SDK (control: the blocker sees the fetch)', () => {
    const r = complete()
    // Errors stay silent and the answer is empty: the blocked import is the only trace.
    expect(r.status).to.equal(0)
    expect(r.stdout).to.equal('')
    expect(blocked()).to.contain('@aws-sdk/')
  })
})
