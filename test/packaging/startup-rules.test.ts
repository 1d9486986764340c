import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {defaultArgs} from '../../bin/default-command.js'
import {cacheDir} from '../../scripts/code-cache.js'

describe('bare taskonaut: defaultArgs', () => {
  const tty = {isTTY: true}
  const pipe = {isTTY: false}

  it('runs exec when both ends are terminals and CI is unset', () => {
    expect(defaultArgs([], {env: {}, stdin: tty, stdout: tty})).to.deep.equal(['exec'])
  })

  it('leaves the root help to oclif when either end is not a terminal, or in CI', () => {
    expect(defaultArgs([], {env: {}, stdin: pipe, stdout: tty})).to.deep.equal([])
    expect(defaultArgs([], {env: {}, stdin: tty, stdout: pipe})).to.deep.equal([])
    expect(defaultArgs([], {env: {}, stdin: {}, stdout: tty})).to.deep.equal([])
    expect(defaultArgs([], {env: {CI: 'true'}, stdin: tty, stdout: tty})).to.deep.equal([])
    expect(defaultArgs([], {env: {CI: '1'}, stdin: tty, stdout: tty})).to.deep.equal([])
  })

  it('does not count CI=false, CI=0 or an empty CI as CI', () => {
    for (const CI of ['false', 'FALSE', '0', '']) expect(defaultArgs([], {env: {CI}, stdin: tty, stdout: tty}), CI).to.deep.equal(['exec'])
  })

  it('never touches arguments that were given', () => {
    expect(defaultArgs(['--help'], {env: {}, stdin: tty, stdout: tty})).to.deep.equal(['--help'])
    expect(defaultArgs(['prune', '--family', 'web'], {env: {}, stdin: tty, stdout: tty})).to.deep.equal(['prune', '--family', 'web'])
  })
})

describe('code cache folder: cacheDir (oclif cacheDir rules)', () => {
  const base = {bin: 'taskonaut', dirname: 'taskonaut-nodejs', home: '/home/ops'}

  it('honours TASKONAUT_CACHE_DIR first', () => {
    expect(cacheDir({...base, env: {TASKONAUT_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x'}, platform: 'linux'})).to.equal('/c')
  })

  it('uses XDG_CACHE_HOME, else ~/.cache, on Linux', () => {
    expect(cacheDir({...base, env: {XDG_CACHE_HOME: '/x'}, platform: 'linux'})).to.equal(join('/x', 'taskonaut-nodejs'))
    expect(cacheDir({...base, env: {XDG_CACHE_HOME: ''}, platform: 'linux'})).to.equal(join('/home/ops', '.cache', 'taskonaut-nodejs'))
  })

  it('uses ~/Library/Caches on macOS and LOCALAPPDATA on Windows', () => {
    expect(cacheDir({...base, env: {}, platform: 'darwin'})).to.equal(join('/home/ops', 'Library', 'Caches', 'taskonaut-nodejs'))
    expect(cacheDir({...base, env: {LOCALAPPDATA: 'C:\\Users\\ops\\AppData\\Local'}, platform: 'win32'})).to.equal(
      join('C:\\Users\\ops\\AppData\\Local', 'taskonaut-nodejs'),
    )
  })

  it('derives the variable from the bin name', () => {
    expect(cacheDir({...base, bin: 'my-cli', env: {MY_CLI_CACHE_DIR: '/m'}, platform: 'linux'})).to.equal('/m')
  })
})

describe('bin/dev.js (development: src/ through tsx, no build)', () => {
  it('runs a command from the TypeScript sources', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
    const env: NodeJS.ProcessEnv = {...process.env}
    delete env.NODE_ENV
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--no-warnings', join(root, 'bin', 'dev.js'), 'config', 'show', '--json'], {
      cwd: root,
      encoding: 'utf8',
      env,
      timeout: 30_000,
    })
    expect(r.stderr).to.equal('')
    expect(r.status).to.equal(0)
    expect(JSON.parse(r.stdout)).to.have.property('file').that.contains(env.TASKONAUT_CONFIG_DIR)
  })
})
