import {expect} from 'chai'
import {lstat, mkdir, mkdtemp, readdir, readFile, stat, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import {configDir} from '../../../src/lib/config/paths.js'
import {ConfigError, readSettings, readSettingsFile, removeSettings, writeSettings} from '../../../src/lib/config/store.js'

describe('config store', () => {
  let file: string
  beforeEach(async () => {
    file = join(await mkdtemp(join(tmpdir(), 'tn-config-')), 'nested', 'config.json')
  })

  it('reads a missing file as no settings', async () => {
    expect(await readSettings(file)).to.deep.equal({})
  })

  it('writes atomically with mode 0600 and reads back', async () => {
    await writeSettings({maxAttempts: 5, profile: 'acme.prod', region: 'eu-west-1'}, file)
    expect(await readSettings(file)).to.deep.equal({maxAttempts: 5, profile: 'acme.prod', region: 'eu-west-1'})
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).to.equal(0o600)
    expect(JSON.parse(await readFile(file, 'utf8')).profile).to.equal('acme.prod')
  })

  it('names the file for invalid JSON and never overwrites it', async () => {
    await writeSettings({region: 'eu-west-1'}, file)
    await writeFile(file, '{"region": "eu-west-1",')
    const error = await readSettings(file).catch((error_) => error_)
    expect(error).to.be.instanceOf(ConfigError)
    expect(error.message).to.include(file).and.to.include('not valid JSON')
    expect(await readFile(file, 'utf8')).to.equal('{"region": "eu-west-1",')
  })

  it('names the bad key of a hand-edited file', async () => {
    await writeSettings({}, file)
    await writeFile(file, JSON.stringify({regoin: 'eu-west-1'}))
    expect((await readSettings(file).catch((error) => error)).message).to.include('unknown setting "regoin"')
    await writeFile(file, JSON.stringify({region: 'Ireland'}))
    expect((await readSettings(file).catch((error) => error)).message).to.include('setting "region"')
    await writeFile(file, JSON.stringify({maxAttempts: 0}))
    expect((await readSettings(file).catch((error) => error)).message).to.include('"maxAttempts"')
    await writeFile(file, '[]')
    expect((await readSettings(file).catch((error) => error)).message).to.include('JSON object')
  })

  it("reads the seed's settings: awsProfile and awsRegion under their new names, its other keys ignored", async () => {
    await writeSettings({}, file)
    const seed = {awsProfile: 'acme.prod', awsProfiles: ['default', 'acme.prod'], awsRegion: 'eu-west-1', lastProfileSync: 1_733_270_400_000, lastUsedCluster: ''}
    await writeFile(file, JSON.stringify(seed))
    expect(await readSettingsFile(file)).to.deep.equal({
      seedKeys: ['awsProfile', 'awsProfiles', 'awsRegion', 'lastProfileSync', 'lastUsedCluster'],
      settings: {profile: 'acme.prod', region: 'eu-west-1'},
    })
    // The current names win over the seed's; conf's empty defaults are no value.
    await writeFile(file, JSON.stringify({awsProfile: '', awsRegion: 'us-east-1', region: 'eu-north-1'}))
    expect((await readSettingsFile(file)).settings).to.deep.equal({region: 'eu-north-1'})
  })

  it("still refuses a bad value under a seed key, and unknown keys, naming file and key", async () => {
    await writeSettings({}, file)
    await writeFile(file, JSON.stringify({awsRegion: 'Ireland'}))
    const bad = await readSettings(file).catch((error) => error)
    expect(bad.message).to.include(file).and.include('setting "awsRegion" (the older name of "region")')
    await writeFile(file, JSON.stringify({awsProfile: 'p', lastUsedClusterr: 'x'}))
    expect((await readSettings(file).catch((error) => error)).message).to.include('unknown setting "lastUsedClusterr"')
    // Writing never accepts the old names.
    expect(await writeSettings({awsRegion: 'eu-west-1'} as any, file).catch((error) => error.message)).to.include('unknown setting "awsRegion"')
  })

  it('accepts every region of the partition data, European Sovereign Cloud included', async () => {
    await writeSettings({region: 'eusc-de-east-1'}, file)
    expect(await readSettings(file)).to.deep.equal({region: 'eusc-de-east-1'})
    // A partition's pseudo-region is in the data too, but is no region.
    expect(await writeSettings({region: 'aws-global'}, file).catch((error) => error.message)).to.include('setting "region" is not an AWS region name')
  })

  it('leaves no temp file behind when the write fails', async () => {
    await mkdir(file, {recursive: true}) // a folder where the file should be: the rename fails
    expect(await writeSettings({region: 'eu-west-1'}, file).catch((error) => error.code)).to.be.oneOf(['EISDIR', 'EPERM', 'ENOTEMPTY', 'EEXIST'])
    expect(await readdir(dirname(file))).to.deep.equal(['config.json'])
  })

  it('replaces the file a symlinked config.json points at, not the link', async function () {
    if (process.platform === 'win32') this.skip()
    const real = join(await mkdtemp(join(tmpdir(), 'tn-dotfiles-')), 'taskonaut.json')
    await writeFile(real, '{}')
    await mkdir(dirname(file), {recursive: true})
    await symlink(real, file)
    await writeSettings({region: 'eu-west-1'}, file)
    expect((await lstat(file)).isSymbolicLink()).to.equal(true)
    expect(JSON.parse(await readFile(real, 'utf8'))).to.deep.equal({region: 'eu-west-1'})
    expect(await readdir(dirname(real))).to.deep.equal(['taskonaut.json'])
  })

  it('removes the file and says whether there was one', async () => {
    await writeSettings({region: 'eu-west-1'}, file)
    expect(await removeSettings(file)).to.equal(true)
    expect(await removeSettings(file)).to.equal(false)
  })

  it('puts the file where the seed did on each platform', () => {
    expect(configDir({}, 'linux', '/home/u')).to.equal('/home/u/.config/taskonaut-nodejs')
    expect(configDir({XDG_CONFIG_HOME: '/x'}, 'linux', '/home/u')).to.equal('/x/taskonaut-nodejs')
    expect(configDir({}, 'darwin', '/Users/u')).to.equal('/Users/u/Library/Preferences/taskonaut-nodejs')
    // env-paths (which the seed's `conf` used) adds a Config folder on Windows.
    expect(configDir({APPDATA: 'C:\\AppData'}, 'win32', 'C:\\u')).to.match(/^C:\\AppData.taskonaut-nodejs.Config$/)
    expect(configDir({TASKONAUT_CONFIG_DIR: '/t'}, 'linux', '/home/u')).to.equal('/t')
  })
})
