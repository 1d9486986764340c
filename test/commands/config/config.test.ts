import {runCommand} from '../../helpers/run.js'
import {expect} from 'chai'
import {readFile, rm, writeFile} from 'node:fs/promises'
import {dirname} from 'node:path'
import sinon from 'sinon'

import {configFile} from '../../../src/lib/config/paths.js'
import {prompts} from '../../../src/lib/ui/prompts.js'
import {terminal} from '../../../src/lib/ui/terminal.js'
import {writeAwsFiles} from '../../helpers/aws-files.js'

describe('config commands', () => {
  beforeEach(async () => {
    await rm(configFile(), {force: true})
    await writeAwsFiles({
      config: '[default]\nregion = eu-west-1\n[profile acme.prod]\nregion = us-east-2\n[sso-session acme]\nsso_start_url = https://x\n',
    })
  })
  afterEach(() => sinon.restore())

  it('config set saves flags to the file and config show prints them', async () => {
    const set = await runCommand(['config', 'set', '--profile', 'acme.prod', '--region', 'eu-central-1'])
    expect(set.error).to.equal(undefined)
    expect(JSON.parse(await readFile(configFile(), 'utf8'))).to.deep.equal({profile: 'acme.prod', region: 'eu-central-1'})
    const show = await runCommand(['config', 'show'])
    expect(show.stdout).to.include(configFile()).and.include('profile: acme.prod').and.include('region: eu-central-1')
    const json = await runCommand(['config', 'show', '--json'])
    expect(JSON.parse(json.stdout)).to.deep.equal({file: configFile(), settings: {profile: 'acme.prod', region: 'eu-central-1'}})
  })

  it('config set refuses an unknown profile, listing those found', async () => {
    const {error} = await runCommand(['config', 'set', '--profile', 'acme.prd', '--region', 'eu-west-1'])
    expect(error?.message).to.include('Unknown AWS profile "acme.prd"')
    expect(error?.oclif?.exit).to.equal(2)
    expect((error as any)?.suggestions?.join(' ')).to.include('default, acme.prod').and.include('closest: acme.prod')
  })

  it('config set refuses a malformed region with close matches', async () => {
    const {error} = await runCommand(['config', 'set', '--profile', 'default', '--region', 'eu-wst-1'])
    expect(error?.message).to.include('Unknown AWS region "eu-wst-1"')
    expect((error as any)?.suggestions?.join(' ')).to.include('eu-west-1')
  })

  it('config set without a TTY fails naming the flag to pass', async () => {
    sinon.stub(terminal, 'isInteractive').returns(false)
    const {error} = await runCommand(['config', 'set'])
    expect(error?.message).to.include('--profile')
    expect(error?.oclif?.exit).to.equal(2)
  })

  it('config set asks for profile and region with type-to-search in a terminal', async () => {
    sinon.stub(terminal, 'isInteractive').returns(true)
    const search = sinon.stub(prompts, 'search')
    search.onFirstCall().callsFake(async (_message, choices) => {
      expect(choices.map((c: any) => c.value)).to.deep.equal(['default', 'acme.prod'])
      return 'acme.prod'
    })
    search.onSecondCall().callsFake(async (_message, choices) => {
      // Regions come from the SDK's partition data, not a hard-coded list.
      expect(choices.length).to.be.greaterThan(25)
      expect(choices.map((c: any) => c.value)).to.include.members(['eu-west-1', 'us-gov-west-1', 'cn-north-1'])
      return 'ap-southeast-2'
    })
    const {error} = await runCommand(['config', 'set'])
    expect(error).to.equal(undefined)

    expect(JSON.parse(await readFile(configFile(), 'utf8'))).to.deep.equal({profile: 'acme.prod', region: 'ap-southeast-2'})
  })

  it('config set in a terminal with no AWS profiles saves just the region (environment credentials)', async () => {
    await writeAwsFiles({})
    sinon.stub(terminal, 'isInteractive').returns(true)
    const search = sinon.stub(prompts, 'search').resolves('eu-north-1')
    const {error, stderr} = await runCommand(['config', 'set'])
    expect(error).to.equal(undefined)
    expect(stderr).to.include('No AWS profiles in').and.include('no profile is saved')
    expect(search.calledOnce).to.equal(true)
    expect(search.firstCall.args[0]).to.equal('AWS region')
    // The region's description is in its name (searchable), not repeated as a description.
    const choice = (search.firstCall.args[1] as any[]).find((c) => c.value === 'eu-central-1')
    expect(choice.name).to.match(/^eu-central-1 +Europe \(Frankfurt\)$/)
    expect(choice).to.not.have.property('description')
    expect(JSON.parse(await readFile(configFile(), 'utf8'))).to.deep.equal({region: 'eu-north-1'})
  })

  it('an AWS config file that cannot be read is named, with what to do, in one line', async () => {
    const saved = process.env.AWS_CONFIG_FILE
    process.env.AWS_CONFIG_FILE = dirname(saved!) // a folder
    try {
      const {error} = await runCommand(['config', 'set', '--profile', 'default', '--region', 'eu-west-1'])
      expect(error?.message).to.equal(`Cannot read the AWS file ${process.env.AWS_CONFIG_FILE}: EISDIR.`)
      expect((error as any)?.suggestions).to.deep.equal(['It is a folder: point AWS_CONFIG_FILE at the file itself.'])
    } finally {
      process.env.AWS_CONFIG_FILE = saved
    }
  })

  it('a corrupt settings file is named in the error and left untouched', async () => {
    await runCommand(['config', 'set', '--profile', 'default', '--region', 'eu-west-1'])
    await writeFile(configFile(), '{"region": ')
    const {error} = await runCommand(['config', 'show'])
    expect(error?.message).to.include(configFile()).and.include('not valid JSON')
    expect(await readFile(configFile(), 'utf8')).to.equal('{"region": ')
    const set = await runCommand(['config', 'set', '--region', 'eu-west-2'])
    expect(set.error?.message).to.include(configFile())
    expect(await readFile(configFile(), 'utf8')).to.equal('{"region": ')
  })

  it("reads the seed's settings file, and config set rewrites it in the current format", async () => {
    const seed = {awsProfile: 'acme.prod', awsProfiles: ['default', 'acme.prod'], awsRegion: 'eu-west-1', lastProfileSync: 1_733_270_400_000, lastUsedCluster: ''}
    await writeFile(configFile(), JSON.stringify(seed))
    const show = await runCommand(['config', 'show', '--json'])
    expect(show.error).to.equal(undefined)
    expect(JSON.parse(show.stdout).settings).to.deep.equal({profile: 'acme.prod', region: 'eu-west-1'})
    expect(JSON.parse(await readFile(configFile(), 'utf8'))).to.deep.equal(seed) // reading never rewrites
    const text = await runCommand(['config', 'show'])
    expect(text.stderr).to.include('older taskonaut format').and.include('awsProfile')
    const set = await runCommand(['config', 'set', '--max-attempts', '4'])
    expect(set.error).to.equal(undefined)
    expect(set.stderr).to.include('without the older keys')
    expect(JSON.parse(await readFile(configFile(), 'utf8'))).to.deep.equal({maxAttempts: 4, profile: 'acme.prod', region: 'eu-west-1'})
  })

  it('config set --region accepts a real region outside the usual pattern (European Sovereign Cloud)', async () => {
    const {error} = await runCommand(['config', 'set', '--profile', 'default', '--region', 'eusc-de-east-1'])
    expect(error).to.equal(undefined)
    expect((await runCommand(['config', 'show', '--json'])).stdout).to.include('eusc-de-east-1')
  })

  it('config cleanup needs --yes without a TTY, and removes the file with it', async () => {
    await runCommand(['config', 'set', '--profile', 'default', '--region', 'eu-west-1'])
    sinon.stub(terminal, 'isInteractive').returns(false)
    const refused = await runCommand(['config', 'cleanup'])
    expect(refused.error?.message).to.match(/confirmation/)
    // It deletes a local file; no AWS resource is involved.
    expect(refused.error?.message).to.include(`This deletes ${configFile()}`).and.not.include('AWS')
    expect((refused.error as any)?.suggestions?.join(' ')).to.include('--yes')
    expect(await readFile(configFile(), 'utf8')).to.include('eu-west-1')
    const done = await runCommand(['config', 'cleanup', '--yes'])
    expect(done.stdout).to.include('Removed')
    expect(await readFile(configFile(), 'utf8').catch((error) => error.code)).to.equal('ENOENT')
  })

  it('config cleanup answered "no" changes nothing and exits 130', async () => {
    await runCommand(['config', 'set', '--profile', 'default', '--region', 'eu-west-1'])
    sinon.stub(terminal, 'isInteractive').returns(true)
    const confirm = sinon.stub(prompts, 'confirm').resolves(false)
    try {
      const {stderr} = await runCommand(['config', 'cleanup'])
      expect(confirm.calledOnce).to.equal(true)
      expect(stderr).to.include('Nothing was changed.')
      expect(process.exitCode).to.equal(130)
      expect(await readFile(configFile(), 'utf8')).to.include('eu-west-1')
    } finally {
      process.exitCode = 0
    }
  })

  it('CI=false and CI=0 do not turn prompting off; CI=true does', async () => {
    sinon.stub(terminal, 'isInteractive').returns(true)
    const confirm = sinon.stub(prompts, 'confirm').resolves(false)
    try {
      for (const CI of ['false', '0']) {
        process.env.CI = CI
        await runCommand(['config', 'cleanup'])
      }

      expect(confirm.callCount).to.equal(2)
      process.env.CI = 'true'
      expect((await runCommand(['config', 'cleanup'])).error?.message).to.include('prompting is off')
      expect(confirm.callCount).to.equal(2)
    } finally {
      delete process.env.CI
      process.exitCode = 0
    }
  })

  it('with --json, an error is one small JSON document (a parse error included)', async () => {
    const {stdout} = await runCommand(['config', 'show', '--json', '--bogus'])
    expect(process.exitCode).to.equal(2)
    expect(stdout.length).to.be.lessThan(1024)
    const {error: doc} = JSON.parse(stdout)
    expect(doc).to.have.keys(['code', 'exit', 'message', 'suggestions'])
    expect(doc).to.include({exit: 2})
    expect(doc.message).to.include('Nonexistent flag: --bogus')
    await writeFile(configFile(), '{"regoin": "eu-west-1"}')
    const bad = JSON.parse((await runCommand(['config', 'show', '--json'])).stdout).error
    expect(bad).to.include({code: 'ConfigError', exit: 1})
    expect(bad.message).to.include('unknown setting "regoin"')
    expect(bad.suggestions[0]).to.include('taskonaut config cleanup')
    process.exitCode = 0
  })

  it('max-attempts is saved without asking for profile and region', async () => {
    sinon.stub(terminal, 'isInteractive').returns(false)
    const {error} = await runCommand(['config', 'set', '--max-attempts', '12'])
    expect(error).to.equal(undefined)
    expect(JSON.parse(await readFile(configFile(), 'utf8'))).to.deep.equal({maxAttempts: 12})
    const bad = await runCommand(['config', 'set', '--max-attempts', '0'])
    expect(bad.error?.oclif?.exit).to.equal(2)
  })
})
