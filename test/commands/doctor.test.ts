import {ECSClient, ListTasksCommand} from '@aws-sdk/client-ecs'
import {expect} from 'chai'
import {createHash} from 'node:crypto'
import {mkdir, rm, writeFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {delimiter, dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import sinon from 'sinon'

import {configFile} from '../../src/lib/config/paths.js'
import {startEmulator, type Emulator} from '../emulator/index.js'
import {writeAwsFiles, writeFreshAwsFiles} from '../helpers/aws-files.js'
import {runCommand} from '../helpers/run.js'

describe('doctor', () => {
  let emulator: Emulator
  const saved = {...process.env}

  before(async () => {
    emulator = await startEmulator({scenario: 'demo'})
  })
  after(() => emulator.stop())
  beforeEach(async () => {
    process.env.AWS_ENDPOINT_URL = emulator.endpoint
    await writeAwsFiles({})
    emulator.clearLog()
  })
  afterEach(() => {
    // In place: replacing process.env with a plain object would cut it off from the real
    // environment (os.homedir() and child processes would no longer see changes).
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
    sinon.restore()
  })

  it('reports every check and exits 0 when the required ones pass', async () => {
    const {error, stdout} = await runCommand(['doctor'])
    expect(error).to.equal(undefined)
    expect(stdout).to.match(/✅ Node\.js: v\d+/)
    expect(stdout).to.include('✅ Region: eu-west-1 (from AWS_REGION)')
    expect(stdout).to.match(/✅ Credentials: account 123456789012, arn:aws:/)
    expect(stdout).to.match(/✅ ECS: reachable at http:\/\/127\.0\.0\.1:\d+: \d+ clusters/)
    expect(stdout).to.include('The AWS CLI is not required')
    // test/setup.ts sets AWS_ACCESS_KEY_ID: that, not a profile, is what the SDK uses.
    expect(stdout).to.include('✅ Profile: none named: the environment credentials (AWS_ACCESS_KEY_ID) come first')
    expect(emulator.calls('GetCallerIdentity')).to.have.length(1)
    expect(emulator.calls('ListClusters')).to.have.length(1)
  })

  it('gives the same as one JSON document', async () => {
    const {stdout} = await runCommand(['doctor', '--json'])
    const result = JSON.parse(stdout)
    expect(result.ok).to.equal(true)
    expect(result.notes.join(' ')).to.include('The AWS CLI is not required')
    expect(result.checks.map((c: any) => c.name)).to.include.members(['Node.js', 'Region', 'Credentials', 'ECS', 'session-manager-plugin'])
  })

  it('exits 1 with a hint when ECS refuses access', async () => {
    const restore = emulator.denyAccess('ListClusters')
    try {
      const {error, stdout} = await runCommand(['doctor'])
      expect(stdout).to.match(/❌ ECS: Access denied/)
      expect(error?.oclif?.exit ?? process.exitCode).to.equal(1)
    } finally {
      restore()
      process.exitCode = 0
    }
  })

  it('names the profile and the sso login command when its SSO session was never started', async () => {
    await writeFreshAwsFiles({
      config: '[profile acme.prod]\nsso_session = acme\nsso_account_id = 111111111111\nsso_role_name = Admin\nregion = eu-west-1\n[sso-session acme]\nsso_start_url = https://acme.example/start\nsso_region = us-east-1\n',
    })
    process.env.HOME = process.env.TASKONAUT_CONFIG_DIR! // an empty home: no SSO token cache
    expect(homedir()).to.equal(process.env.TASKONAUT_CONFIG_DIR)
    try {
      const {stdout} = await runCommand(['doctor', '--profile', 'acme.prod'])
      expect(stdout).to.include('❌ SSO session: no cached SSO token for profile "acme.prod"')
      expect(stdout).to.include('Run: aws sso login --profile acme.prod')
      expect(stdout).to.include('❌ Credentials: The AWS SSO session for profile "acme.prod"')
      expect(emulator.calls('GetCallerIdentity')).to.have.length(0)
    } finally {
      process.exitCode = 0
    }
  })

  it('does not blame the SSO session when the SSO portal cannot be reached', async () => {
    await writeFreshAwsFiles({
      config: '[profile acme.prod]\nsso_session = acme\nsso_account_id = 111111111111\nsso_role_name = Admin\nregion = eu-west-1\n[sso-session acme]\nsso_start_url = https://acme.example/start\nsso_region = us-east-1\n',
    })
    const cache = join(homedir(), '.aws', 'sso', 'cache')
    await mkdir(cache, {recursive: true})
    const token = {accessToken: 'token', expiresAt: '2099-01-01T00:00:00Z', region: 'us-east-1', startUrl: 'https://acme.example/start'}
    await writeFile(join(cache, `${createHash('sha1').update('acme').digest('hex')}.json`), JSON.stringify(token))
    // The SSO portal (GetRoleCredentials) where nothing listens.
    process.env.AWS_ENDPOINT_URL_SSO = 'http://127.0.0.1:9'
    process.env.AWS_MAX_ATTEMPTS = '1'
    try {
      const {stdout} = await runCommand(['doctor', '--profile', 'acme.prod'])
      expect(stdout).to.include('✅ SSO session: valid until 2099-01-01T00:00:00.000Z')
      expect(stdout).to.include('❌ Credentials: Cannot reach the AWS SSO portal').and.include('for profile "acme.prod": ECONNREFUSED')
      expect(stdout).to.not.include('has expired')
    } finally {
      await rm(cache, {force: true, recursive: true})
      process.exitCode = 0
    }
  })

  it('a broken settings file is one ❌ with its fix; the checks that need it say they were skipped', async () => {
    await mkdir(dirname(configFile()), {recursive: true})
    await writeFile(configFile(), '{"regoin": "eu-west-1"}')
    try {
      const {stdout} = await runCommand(['doctor'])
      expect(stdout.match(/❌/g)).to.have.length(4)
      expect(stdout).to.include('❌ Settings file: ').and.include('unknown setting "regoin"').and.include('→ Fix or remove it: taskonaut config cleanup')
      expect(stdout).to.include('❌ Profile and region: skipped: fix the settings file first')
      expect(stdout).to.include('❌ Credentials: skipped').and.include('❌ ECS: skipped')
      expect(stdout).to.not.include('Pass --profile and --region')
    } finally {
      await rm(configFile(), {force: true})
      process.exitCode = 0
    }
  })

  it('a malformed --endpoint-url is a usage error with an example of a valid one', async () => {
    const {stdout} = await runCommand(['doctor', '--endpoint-url', 'localhost:4566'])
    expect(stdout).to.include('Invalid --endpoint-url "localhost:4566"').and.include('e.g. http://localhost:4566')
    const prune = await runCommand(['prune', '--family', 'web', '--dry-run', '--endpoint-url', 'localhost:4566'])
    expect(prune.error?.message).to.include('Invalid --endpoint-url')
    expect(prune.error?.oclif?.exit).to.equal(2)
    process.exitCode = 0
  })

  it('--cluster --task runs exec preflight and reports every item', async () => {
    const ecs = new ECSClient({endpoint: emulator.endpoint, region: 'eu-west-1'})
    const [good] = (await ecs.send(new ListTasksCommand({cluster: 'prod', serviceName: 'web'}))).taskArns!
    const ok = await runCommand(['doctor', '--cluster', 'prod', '--task', good.split('/').pop()!.slice(0, 12)])
    expect(ok.error).to.equal(undefined)
    expect(ok.stdout).to.match(/✅ exec: task \w+ is RUNNING/).and.include('✅ exec: exec is enabled on the task')
    expect(ok.stdout).to.match(/✅ exec: ExecuteCommandAgent of \w+ is RUNNING|✅ exec: .*agent/i)

    const [disabled] = (await ecs.send(new ListTasksCommand({cluster: 'staging', serviceName: 'legacy-admin'}))).taskArns!
    const bad = await runCommand(['doctor', '--cluster', 'staging', '--task', disabled, '--json'])
    const result = JSON.parse(bad.stdout)
    expect(result.ok).to.equal(false)
    const item = result.checks.find((c: any) => c.name === 'exec: exec is enabled on the task')
    expect(item).to.include({ok: false, required: true})
    expect(item.hint).to.include('--enable-execute-command --force-new-deployment')
    process.exitCode = 0
  })

  it('--task that does not exist names close matches', async () => {
    const {stdout} = await runCommand(['doctor', '--cluster', 'prod', '--task', 'ffffffffffff'])
    expect(stdout).to.match(/❌ exec: task ffffffffffff: No task "ffffffffffff" in cluster prod/)
    process.exitCode = 0
  })

  it('--task as an ARN takes the cluster from it, as exec does; a bare id without --cluster is a usage error', async () => {
    const ecs = new ECSClient({endpoint: emulator.endpoint, region: 'eu-west-1'})
    const [arn] = (await ecs.send(new ListTasksCommand({cluster: 'prod', serviceName: 'web'}))).taskArns!
    const ok = await runCommand(['doctor', '--task', arn])
    expect(ok.error).to.equal(undefined)
    expect(ok.stdout).to.match(/✅ exec: task \w+ is RUNNING/)
    expect(emulator.calls('DescribeTasks').map((c) => (c.params as {cluster?: string}).cluster)).to.include('prod')

    emulator.clearLog()
    const bare = await runCommand(['doctor', '--task', arn.split('/').pop()!])
    expect(bare.error?.message).to.include('needs --cluster')
    expect(bare.error?.oclif?.exit).to.equal(2)
    expect(emulator.requests).to.have.length(0)
  })

  it('a plugin whose --version prints nothing is shown as "version unknown", not a blank', async () => {
    const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures')
    process.env.PATH = `${fixtures}${delimiter}${saved.PATH}`
    const {stdout} = await runCommand(['doctor'])
    expect(stdout).to.include(`session-manager-plugin: version unknown at ${join(fixtures, 'session-manager-plugin')}`)
    expect(stdout).to.not.match(/version {2}at/)
  })

  it('takes the region from flag, then environment, then saved config, then the profile', async () => {
    await writeAwsFiles({config: '[default]\nregion = ap-south-1\n'})
    delete process.env.AWS_REGION
    const region = async (...args: string[]) => /Region: (\S+) \(from ([^)]+)\)/.exec((await runCommand(['doctor', ...args])).stdout)?.slice(1)
    expect(await region()).to.deep.equal(['ap-south-1', 'profile "default"'])
    await runCommand(['config', 'set', '--profile', 'default', '--region', 'eu-central-1'])
    expect(await region()).to.deep.equal(['eu-central-1', 'taskonaut config'])
    process.env.AWS_DEFAULT_REGION = 'us-west-2'
    expect(await region()).to.deep.equal(['us-west-2', 'AWS_DEFAULT_REGION'])
    process.env.AWS_REGION = 'us-east-2'
    expect(await region()).to.deep.equal(['us-east-2', 'AWS_REGION'])
    expect(await region('--region', 'eu-north-1')).to.deep.equal(['eu-north-1', '--region'])
    await runCommand(['config', 'cleanup', '--yes'])
    process.exitCode = 0
  })

  it('refuses an unknown profile with the list of profiles found', async () => {
    await writeAwsFiles({config: '[default]\nregion = eu-west-1\n[profile acme.prod]\nregion = us-east-2\n'})
    const {stdout} = await runCommand(['doctor', '--profile', 'acme.prd'])
    expect(stdout).to.include('Unknown AWS profile "acme.prd"').and.include('Profiles found: default, acme.prod')
    process.exitCode = 0
  })

  it('reports a misspelt profile as unknown, not as a missing region, when the region would come from it', async () => {
    await writeAwsFiles({config: '[default]\nregion = eu-west-1\n[profile acme.prod]\nregion = us-east-2\n'})
    delete process.env.AWS_REGION
    const {stdout} = await runCommand(['doctor', '--profile', 'acme.pro'])
    expect(stdout).to.include('Unknown AWS profile "acme.pro"').and.include('closest: acme.prod')
    expect(stdout).to.not.include('No AWS region')
    process.exitCode = 0
  })

  it('a saved profile that is no longer in the AWS files points at the settings file', async () => {
    await writeAwsFiles({config: '[default]\nregion = eu-west-1\n'})
    await runCommand(['config', 'set', '--profile', 'default', '--region', 'eu-west-1'])
    await writeAwsFiles({config: '[profile other]\nregion = eu-west-1\n'})
    try {
      const {stdout} = await runCommand(['doctor'])
      expect(stdout).to.include(`Unknown AWS profile "default" (saved in ${configFile()})`).and.include('taskonaut config set --profile NAME')
      // Saving another setting is not blocked by the stale profile.
      expect((await runCommand(['config', 'set', '--region', 'eu-west-2'])).error).to.equal(undefined)
    } finally {
      await runCommand(['config', 'cleanup', '--yes'])
      process.exitCode = 0
    }
  })
})

describe('unknown commands and flags', () => {
  it('suggest the closest command and exit 2', async () => {
    const {error} = await runCommand(['config', 'sho'])
    expect(error?.message).to.include('"config sho" is not a taskonaut command')
    expect((error as any)?.suggestions?.join(' ')).to.include('taskonaut config show')
    expect(error?.oclif?.exit).to.equal(2)
  })

  it('a misspelt root flag suggests the flag, not a command', async () => {
    const {error} = await runCommand(['--versoin'])
    expect((error as any)?.suggestions?.join(' ')).to.include('taskonaut --version')
    expect(error?.oclif?.exit).to.equal(2)
  })

  it('an unknown flag is a usage error', async () => {
    const {error} = await runCommand(['config', 'show', '--bogus'])
    expect(error?.message).to.include('Nonexistent flag: --bogus')
    expect(error?.oclif?.exit).to.equal(2)
    expect((error as any)?.suggestions).to.deep.equal(['See `taskonaut config show --help` for its flags.'])
  })

  it('a misspelt flag gets the closest flag names, in one line instead of the whole help', async () => {
    const {error, stdout} = await runCommand(['doctor', '--regon', 'eu-west-1'])
    expect(error?.message).to.equal('Nonexistent flag: --regon')
    expect(error?.oclif?.exit).to.equal(2)
    expect((error as any)?.suggestions?.[0]).to.equal('Did you mean --region?')
    expect(stdout).to.not.include('USAGE')
  })
})
