import {expect} from 'chai'
import {mkdtemp, readFile, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {configDir} from '../../../src/lib/config/paths.js'
import {ConfigError, readSettings, removeSettings, writeSettings} from '../../../src/lib/config/store.js'

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

  it('removes the file and says whether there was one', async () => {
    await writeSettings({region: 'eu-west-1'}, file)
    expect(await removeSettings(file)).to.equal(true)
    expect(await removeSettings(file)).to.equal(false)
  })

  it('puts the file where the seed did on each platform', () => {
    expect(configDir({}, 'linux', '/home/u')).to.equal('/home/u/.config/taskonaut-nodejs')
    expect(configDir({XDG_CONFIG_HOME: '/x'}, 'linux', '/home/u')).to.equal('/x/taskonaut-nodejs')
    expect(configDir({}, 'darwin', '/Users/u')).to.equal('/Users/u/Library/Preferences/taskonaut-nodejs')
    expect(configDir({APPDATA: 'C:\\AppData'}, 'win32', 'C:\\u')).to.match(/^C:\\AppData.taskonaut-nodejs$/)
    expect(configDir({TASKONAUT_CONFIG_DIR: '/t'}, 'linux', '/home/u')).to.equal('/t')
  })
})
