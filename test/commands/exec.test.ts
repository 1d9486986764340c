import {CreateClusterCommand, DescribeTasksCommand, ECSClient, ListTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand, UpdateServiceCommand} from '@aws-sdk/client-ecs'
import {expect} from 'chai'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {delimiter, dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {PassThrough} from 'node:stream'
import sinon from 'sinon'

import {removeSettings} from '../../src/lib/config/store.js'
import {DEFAULT_COMMAND} from '../../src/lib/exec/default-command.js'
import {BACK, prompts} from '../../src/lib/ui/prompts.js'
import {terminal} from '../../src/lib/ui/terminal.js'
import {type Emulator, startEmulator} from '../emulator/index.js'
import {runCommand} from '../helpers/run.js'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures')

interface PluginRecord {
  argv: string[]
  credentials: Record<string, string | undefined>
  session?: string
  sessionVars: string[]
}

describe('exec command', function () {
  let emulator: Emulator
  let dir: string
  let record: string
  const saved = {...process.env}
  const ecs = () => new ECSClient({endpoint: emulator.endpoint, region: 'eu-west-1'})
  const params = (operation: string) => emulator.calls(operation).map((c) => c.params as Record<string, unknown>)
  const readRecord = async (): Promise<PluginRecord> => JSON.parse(await readFile(record, 'utf8'))
  /** Ids of the running tasks (of a service), read through the API. */
  const taskIds = async (cluster: string, serviceName?: string) => {
    const out = await ecs().send(new ListTasksCommand({cluster, serviceName}))
    return (out.taskArns ?? []).map((arn) => arn.slice(arn.lastIndexOf('/') + 1))
  }

  /** A running task in ops of a new family: container app, and a non-essential second one. */
  const runWithSidecar = async (name: string, image: string) => {
    const family = `${name}-${Date.now()}`
    await ecs().send(
      new RegisterTaskDefinitionCommand({
        containerDefinitions: [
          {essential: true, image: 'app:1', memory: 128, name: 'app'},
          {essential: false, image, memory: 64, name},
        ],
        family,
      }),
    )
    const run = await ecs().send(new RunTaskCommand({cluster: 'ops', enableExecuteCommand: true, taskDefinition: family}))
    emulator.advance(120_000)
    return run.tasks![0].taskArn!
  }

  before(async () => {
    // With the Session Manager agent: the built-in client gets a real shell; the plugin tests
    // use the stand-in plugin in test/fixtures, which never connects.
    emulator = await startEmulator({agent: true, scenario: 'demo'})
  })
  after(async () => emulator.stop())

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exec-cmd-'))
    record = join(dir, 'plugin.json')
    process.env.AWS_ENDPOINT_URL = emulator.endpoint
    process.env.PATH = `${FIXTURES}${delimiter}${saved.PATH}`
    process.env.FAKE_PLUGIN_RECORD = record
    emulator.clearLog()
  })

  afterEach(async () => {
    sinon.restore()
    for (const key of ['AWS_ENDPOINT_URL', 'PATH', 'FAKE_PLUGIN_RECORD', 'FAKE_PLUGIN_EXIT', 'FAKE_PLUGIN_STDERR']) {
      if (saved[key] === undefined) delete process.env[key]
      else process.env[key] = saved[key]
    }

    await rm(dir, {force: true, recursive: true})
  })

  describe('unattended', () => {
    it('--use-plugin: --service with --no-input takes the newest task and starts the plugin in the seven-argument form', async () => {
      const {error, stderr} = await runCommand(['exec', '--cluster', 'prod', '--service', 'web', '--no-input', '--use-plugin'])
      expect(error).to.equal(undefined)
      expect(stderr).to.include('using the newest')
      const [call] = emulator.calls('ExecuteCommand')
      expect(call.params).to.deep.include({command: DEFAULT_COMMAND, container: 'app', interactive: true})
      const seen = await readRecord()
      expect(seen.argv).to.have.length(7)
      const [, sessionVar, region, operation, profile, params, endpoint] = seen.argv
      expect(sessionVar).to.match(/^AWS_SSM_START_SESSION_RESPONSE_/)
      expect([region, operation, profile, endpoint]).to.deep.equal(['eu-west-1', 'StartSession', '', emulator.endpoint])
      const session = JSON.parse(seen.session!)
      const sent = emulator.session(session.SessionId)!
      expect(JSON.parse(params)).to.deep.equal({Target: sent.target})
      expect(sent.target).to.match(/^ecs:prod_[\da-f]{32}_/)
      expect(session.TokenValue).to.be.a('string').and.not.equal('')
      // The token is in the environment only, never on the command line.
      expect(seen.argv.join(' ')).not.to.include(session.TokenValue)
      // No profile: the credentials the ECS client used are handed over in the environment.
      expect(seen.credentials.AWS_ACCESS_KEY_ID).to.equal(process.env.AWS_ACCESS_KEY_ID)
      // One DescribeTasks batch for the service's tasks; none after ExecuteCommand.
      expect(emulator.calls('DescribeTasks')).to.have.length(1)
    })

    it('--service skips tasks still starting, even when they are newer', async () => {
      await ecs().send(new UpdateServiceCommand({cluster: 'prod', desiredCount: 4, service: 'worker'}))
      const listed = await taskIds('prod', 'worker')
      const described = await ecs().send(new DescribeTasksCommand({cluster: 'prod', tasks: listed}))
      const starting = described.tasks!.filter((t) => t.lastStatus !== 'RUNNING').map((t) => t.taskArn)
      expect(starting.length).to.be.greaterThan(0)
      const {error} = await runCommand(['exec', '--cluster', 'prod', '--service', 'worker', '--no-input', '--use-plugin'])
      expect(error).to.equal(undefined)
      expect(starting).not.to.include(params('ExecuteCommand')[0].task)
      await ecs().send(new UpdateServiceCommand({cluster: 'prod', desiredCount: 2, service: 'worker'}))
    })

    it('--use-plugin: passes the plugin\'s exit code through', async () => {
      process.env.FAKE_PLUGIN_EXIT = '7'
      const {error} = await runCommand(['exec', '--cluster', 'prod', '--service', 'api', '--no-input', '--command', 'false', '--use-plugin'])
      const code = process.exitCode
      process.exitCode = undefined
      expect(error).to.equal(undefined)
      expect(code).to.equal(7)
      expect(params('ExecuteCommand')[0].command).to.equal('false')
    })

    it('a plugin that fails shows its message and exit code', async () => {
      process.env.FAKE_PLUGIN_EXIT = '255'
      process.env.FAKE_PLUGIN_STDERR = 'Cannot perform start session: websocket: bad handshake'
      const {error} = await runCommand(['exec', '--cluster', 'prod', '--service', 'api', '--no-input', '--use-plugin'])
      expect(error?.message).to.include('session-manager-plugin exited with code 255').and.include('bad handshake')
      expect(error?.oclif?.exit).to.equal(255)
    })

    it('--task takes a full id, a unique prefix, or an ARN (which also names the cluster)', async () => {
      const [id] = await taskIds('prod', 'worker')
      const full = await runCommand(['exec', '--cluster', 'prod', '--task', id, '--no-input', '--use-plugin'])
      expect(full.error).to.equal(undefined)
      const prefix = await runCommand(['exec', '--cluster', 'prod', '--task', id.slice(0, 10), '--no-input', '--use-plugin'])
      expect(prefix.error).to.equal(undefined)
      const arn = `arn:aws:ecs:eu-west-1:123456789012:task/prod/${id}`
      const byArn = await runCommand(['exec', '--task', arn, '--no-input', '--use-plugin'])
      expect(byArn.error).to.equal(undefined)
      const targeted = params('ExecuteCommand').map((p) => String(p.task))
      // All three name the same task.
      expect(targeted).to.have.length(3)
      expect(targeted.every((t) => t.endsWith(id))).to.equal(true)
    })

    it('an ambiguous prefix lists the candidates', async () => {
      const ids = await taskIds('prod')
      const first = new Map<string, number>()
      for (const id of ids) first.set(id[0], (first.get(id[0]) ?? 0) + 1)
      const [digit] = [...first.entries()].find(([, n]) => n > 1)!
      const {error} = await runCommand(['exec', '--cluster', 'prod', '--task', digit, '--no-input'])
      expect(error?.message).to.match(new RegExp(`"${digit}" matches ${first.get(digit)} running tasks`))
      expect(error?.oclif?.exit).to.equal(2)
      expect(emulator.calls('ExecuteCommand')).to.have.length(0)
    })

    it('unknown cluster, task, service and container: errors with what exists; the names given by flags exit 2', async () => {
      const cluster = await runCommand(['exec', '--cluster', 'prd', '--service', 'web', '--no-input'])
      expect(cluster.error?.message).to.include('Cluster "prd" not found')
      expect((cluster.error as any)?.suggestions.join(' ')).to.include('prod')
      const service = await runCommand(['exec', '--cluster', 'prod', '--service', 'wbe', '--no-input'])
      expect(service.error?.message).to.include('Service "wbe" not found')
      expect((service.error as any)?.suggestions.join(' ')).to.include('web')
      expect(service.error?.oclif?.exit).to.equal(2)
      const task = await runCommand(['exec', '--cluster', 'prod', '--task', 'zzzz', '--no-input'])
      expect(task.error?.message).to.include('No task "zzzz" in cluster prod')
      expect(task.error?.oclif?.exit).to.equal(2)
      const container = await runCommand(['exec', '--cluster', 'prod', '--service', 'web', '--container', 'ap', '--no-input'])
      expect(container.error?.message).to.include('has no container "ap"')
      expect((container.error as any)?.suggestions.join(' ')).to.include('Did you mean app?')
      expect(container.error?.oclif?.exit).to.equal(2)
      expect(emulator.calls('ExecuteCommand')).to.have.length(0)
    })

    it('an unknown task with nothing close lists a few running ids and how many more', async () => {
      const ids = (await taskIds('prod')).sort()
      expect(ids.length).to.be.greaterThan(5)
      const {error} = await runCommand(['exec', '--cluster', 'prod', '--task', 'zzzz', '--no-input'])
      const [hint] = (error as any)?.suggestions as string[]
      const shown = ids.slice(0, 5).map((id) => id.slice(0, 8))
      expect(hint).to.equal(`Running tasks: ${shown.join(', ')} and ${ids.length - 5} more (pick from all of them: taskonaut exec --cluster prod).`)
    })

    it('an unknown task given as an ARN gets the close ids, compared by id', async () => {
      const [id] = await taskIds('prod', 'worker')
      // One digit changed at the end: not a running task, but close to one.
      const typo = id.slice(0, -1) + (id.at(-1) === '0' ? '1' : '0')
      const {error} = await runCommand(['exec', '--task', `arn:aws:ecs:eu-west-1:123456789012:task/prod/${typo}`, '--no-input'])
      expect(error?.message).to.include(`No task "arn:aws:ecs:eu-west-1:123456789012:task/prod/${typo}" in cluster prod`)
      expect((error as any)?.suggestions[0]).to.match(/^Did you mean /).and.include(id)
      expect(error?.oclif?.exit).to.equal(2)
    })

    it('without a terminal, a missing value fails naming the flag', async () => {
      const none = await runCommand(['exec'])
      expect(none.error?.message).to.include('Missing --cluster')
      expect(none.error?.oclif?.exit).to.equal(2)
      const noTask = await runCommand(['exec', '--cluster', 'prod'])
      expect(noTask.error?.message).to.include('Missing --task')
    })
  })

  describe('preflight', () => {
    it('exec not enabled: no ExecuteCommand, and the update-service fix', async () => {
      const {error} = await runCommand(['exec', '--cluster', 'staging', '--service', 'legacy-admin', '--no-input'])
      expect(error?.message).to.include('exec is not enabled on the task')
      expect((error as any)?.suggestions[0]).to.equal(
        'Enable it and replace the tasks: aws ecs update-service --cluster staging --service legacy-admin --enable-execute-command --force-new-deployment',
      )
      expect(emulator.calls('ExecuteCommand')).to.have.length(0)
    })

    it('agent not running: explains the task role and ssmmessages', async () => {
      const {error} = await runCommand(['exec', '--cluster', 'prod', '--service', 'search', '--no-input'])
      expect(error?.message).to.include('ExecuteCommandAgent in app is not RUNNING')
      expect((error as any)?.suggestions[0]).to.include('ssmmessages')
      expect(emulator.calls('ExecuteCommand')).to.have.length(0)
    })

    it('--use-plugin and the plugin missing: how to install it, before any ExecuteCommand', async () => {
      process.env.PATH = dir
      const {error} = await runCommand(['exec', '--cluster', 'prod', '--service', 'web', '--no-input', '--use-plugin'])
      expect(error?.message).to.include('session-manager-plugin is not installed')
      expect((error as any)?.suggestions[0]).to.include('Install it')
      expect(emulator.calls('ExecuteCommand')).to.have.length(0)
    })

    it('task not running (a stopped task by id)', async () => {
      const [id] = await taskIds('prod', 'payments')
      await ecs().send(new StopTaskCommand({cluster: 'prod', reason: 'test', task: id}))
      emulator.advance(120_000)
      const {error} = await runCommand(['exec', '--cluster', 'prod', '--task', id, '--no-input'])
      expect(error?.message).to.match(/task [\da-f]+ is not RUNNING/)
      expect(emulator.calls('ExecuteCommand')).to.have.length(0)
    })

    it('a container that has exited (an init container that finished): named with its exit code, no ExecuteCommand', async () => {
      const arn = await runWithSidecar('init', 'fetch-config:1')
      emulator.exitContainer(arn, 'init', 0)
      emulator.clearLog()
      try {
        const {error} = await runCommand(['exec', '--cluster', 'ops', '--task', arn, '--container', 'init', '--no-input'])
        expect(error?.message).to.include('container init is not RUNNING').and.include('STOPPED, exit code 0')
        expect((error as any)?.suggestions.join(' ')).to.include('Pick a running container')
        expect(error?.oclif?.exit).to.equal(1)
        expect(emulator.calls('ExecuteCommand')).to.have.length(0)
      } finally {
        await ecs().send(new StopTaskCommand({cluster: 'ops', reason: 'test done', task: arn}))
      }
    })

    it('AccessDenied from ExecuteCommand is explained', async () => {
      const restore = emulator.denyAccess('ExecuteCommand')
      try {
        const {error} = await runCommand(['exec', '--cluster', 'prod', '--service', 'api', '--no-input'])
        expect(error?.message).to.include('Not allowed to exec')
        expect((error as any)?.suggestions[0]).to.include('ecs:ExecuteCommand')
      } finally {
        restore()
      }
    })
  })

  describe('the built-in client (the default)', () => {
    /** The session reads stdin: a pipe here (no terminal, no raw mode), whatever runs mocha. */
    let stdin: PassThrough
    beforeEach(() => {
      stdin = new PassThrough()
      sinon.replaceGetter(process, 'stdin', () => stdin as unknown as typeof process.stdin)
    })
    const exitCode = () => {
      const code = process.exitCode
      process.exitCode = undefined
      return code
    }

    /**
     * An emulator of its own (clusters added here would show in other tests' lists) with a
     * cluster whose exec sessions are KMS-encrypted, as a scenario declares it.
     */
    async function kmsEmulator(): Promise<Emulator> {
      const em = await startEmulator({
        agent: true,
        scenario: {
          clusters: [{configuration: {executeCommandConfiguration: {kmsKeyId: 'alias/exec-sessions'}}, name: 'vault', services: [{name: 'app', taskDefinition: 'app:1'}]}],
          families: [{family: 'app', revisions: 1}],
        },
      })
      process.env.AWS_ENDPOINT_URL = em.endpoint
      return em
    }

    // @oclif/test's runCommand joins and re-splits its arguments: a value with spaces goes in double quotes.
    it('runs the command in the container through the agent, and its exit code is ours; no plugin, none needed', async () => {
      process.env.PATH = dir // no session-manager-plugin anywhere: preflight does not ask for it
      const {error, stderr, stdout} = await runCommand(['exec', '--cluster', 'prod', '--service', 'api', '--no-input', '--command', '"echo hi; echo in $PWD; exit 3"'])
      expect(error).to.equal(undefined)
      expect(exitCode()).to.equal(3)
      // The agent's shell runs in a temporary directory of its own.
      expect(stdout).to.match(/^hi\r?\nin \S*taskonaut-agent-/)
      expect(stderr).to.include('Exec into app in prod/')
      expect(stderr).not.to.include('session-manager-plugin')
      expect(params('ExecuteCommand')[0]).to.deep.include({command: 'echo hi; echo in $PWD; exit 3', interactive: true})
    })

    it('an exit code of 0 leaves the exit code alone; the stand-in plugin on PATH is not started', async () => {
      const {error, stdout} = await runCommand(['exec', '--cluster', 'prod', '--service', 'api', '--no-input', '--command', '"printf ok"'])
      expect(error).to.equal(undefined)
      expect(exitCode()).to.equal(undefined)
      expect(stdout).to.include('ok')
      await readRecord().then(
        () => expect.fail('the plugin ran'),
        (error_: NodeJS.ErrnoException) => expect(error_.code).to.equal('ENOENT'),
      )
    })

    it('a KMS-encrypted session (the cluster\'s executeCommandConfiguration.kmsKeyId): a data key from KMS, output decrypted', async () => {
      const em = await kmsEmulator()
      try {
        const {error, stdout} = await runCommand(['exec', '--cluster', 'vault', '--service', 'app', '--no-input', '--command', '"echo sealed-$((6*7))"'])
        expect(error).to.equal(undefined)
        expect(stdout).to.include('sealed-42')
        const [generate] = em.calls('GenerateDataKey')
        expect(generate.service).to.equal('kms')
        expect(generate.params).to.deep.include({KeyId: 'alias/exec-sessions'})
        const {session} = em.calls('ExecuteCommand')[0].response as {session: {sessionId: string}}
        const context = (generate.params as {EncryptionContext: Record<string, string>}).EncryptionContext
        expect(context['aws:ssm:SessionId']).to.equal(session.sessionId)
        expect(context['aws:ssm:TargetId']).to.match(/^ecs:vault_[\da-f]{32}_/)
      } finally {
        await em.stop()
      }
    })

    it('KMS refusing the data key (a cluster made by CreateCluster with a key): one line naming kms:GenerateDataKey and --use-plugin, exit 1', async () => {
      const em = await kmsEmulator()
      try {
        const client = new ECSClient({endpoint: em.endpoint, region: 'eu-west-1'})
        await client.send(new CreateClusterCommand({clusterName: 'locked', configuration: {executeCommandConfiguration: {kmsKeyId: 'alias/locked', logging: 'DEFAULT'}}}))
        const run = await client.send(new RunTaskCommand({cluster: 'locked', enableExecuteCommand: true, taskDefinition: 'app:1'}))
        em.advance(120_000)
        em.denyAccess('kms:GenerateDataKey')
        const {error} = await runCommand(['exec', '--cluster', 'locked', '--task', run.tasks![0].taskArn!, '--no-input', '--command', 'true'])
        expect(error?.message).to.include('The session is KMS-encrypted and no data key could be had from KMS')
        expect((error as any)?.suggestions.join(' ')).to.include('kms:GenerateDataKey on alias/locked').and.include('--use-plugin')
        expect(error?.oclif?.exit).to.equal(1)
        expect(em.calls('GenerateDataKey')[0].errorType).to.equal('AccessDeniedException')
      } finally {
        await em.stop()
      }
    })

    it('a refused (expired) session token: one clear line and a hint, exit 1', async () => {
      const expiring = await startEmulator({agent: {tokenTtlMs: 0}, scenario: 'demo'})
      process.env.AWS_ENDPOINT_URL = expiring.endpoint
      try {
        const {error, stdout} = await runCommand(['exec', '--cluster', 'prod', '--service', 'api', '--no-input', '--command', '"echo never"'])
        expect(error?.message).to.equal('The session was closed before it started: The session token has expired')
        expect((error as any)?.suggestions).to.deep.equal(['The session token may have expired or been used already: start a new session.'])
        expect(error?.oclif?.exit).to.equal(1)
        expect(stdout).not.to.include('never')
      } finally {
        await expiring.stop()
      }
    })

    it('the usePlugin setting makes the plugin the default; --no-use-plugin overrides it for one run', async () => {
      const set = await runCommand(['config', 'set', '--use-plugin'])
      expect(set.error).to.equal(undefined)
      try {
        const viaPlugin = await runCommand(['exec', '--cluster', 'prod', '--service', 'api', '--no-input', '--command', 'true'])
        expect(viaPlugin.error).to.equal(undefined)
        expect((await readRecord()).argv).to.have.length(7)
        await rm(record)
        const native = await runCommand(['exec', '--cluster', 'prod', '--service', 'api', '--no-input', '--no-use-plugin', '--command', '"printf native"'])
        expect(native.error).to.equal(undefined)
        expect(native.stdout).to.include('native')
        await readRecord().then(
          () => expect.fail('the plugin ran'),
          (error_: NodeJS.ErrnoException) => expect(error_.code).to.equal('ENOENT'),
        )
      } finally {
        await removeSettings()
      }
    })
  })

  describe('interactive', () => {
    beforeEach(() => sinon.stub(terminal, 'isInteractive').returns(true))

    it('cluster → task → container with Back, lists fetched once', async () => {
      const arn = await runWithSidecar('envoy', 'envoy:1')
      const described = await ecs().send(new DescribeTasksCommand({cluster: 'ops', tasks: [arn]}))
      expect(described.tasks![0].lastStatus).to.equal('RUNNING')
      emulator.clearLog()

      const search = sinon.stub(prompts, 'search')
      const select = sinon.stub(prompts, 'select')
      let clusterNames: string[] = []
      search.onCall(0).callsFake(async (_m, choices) => {
        clusterNames = choices.map((c) => c.name)
        return choices.find((c) => c.name.startsWith('ops'))!.value
      })
      search.onCall(1).resolves(arn)
      select.onCall(0).resolves(BACK) // container → back to the tasks
      search.onCall(2).resolves(BACK) // tasks → back to the clusters
      search.onCall(3).callsFake(async (_m, choices) => choices.find((c) => c.name.startsWith('ops'))!.value)
      search.onCall(4).resolves(arn)
      select.onCall(1).callsFake(async (_m, choices) => {
        expect(choices.map((c: any) => c.name)).to.deep.equal(['app  RUNNING  exec agent RUNNING', 'envoy  RUNNING  exec agent RUNNING', '← Back'])
        return 'envoy'
      })

      const {error} = await runCommand(['exec', '--use-plugin'])
      expect(error).to.equal(undefined)
      expect(clusterNames.map((n) => n.split(' ')[0])).to.deep.equal(['ops', 'prod', 'staging'])
      expect(emulator.calls('ListClusters')).to.have.length(1)
      expect(emulator.calls('ListTasks')).to.have.length(1)
      expect(emulator.calls('ExecuteCommand')[0].params).to.deep.include({container: 'envoy', task: arn})
    })

    it('a cluster without running tasks says so and offers Back or Leave', async () => {
      await ecs().send(new CreateClusterCommand({clusterName: 'quiet'}))
      sinon.stub(prompts, 'search').callsFake(async (_m, choices) => choices.find((c) => c.name.startsWith('quiet'))!.value)
      let offered: string[] = []
      sinon.stub(prompts, 'select').callsFake(async (_m, choices) => {
        offered = choices.map((c: any) => c.name)
        return 'leave'
      })
      const {error, stderr} = await runCommand(['exec'])
      expect(error).to.equal(undefined)
      expect(stderr).to.include('Cluster quiet has no running tasks.')
      expect(offered).to.deep.equal(['← Back to the clusters', 'Leave'])
      expect(emulator.calls('ExecuteCommand')).to.have.length(0)
    })

    it('--cluster naming a cluster without running tasks says so and leaves, with no one-item menu', async () => {
      await ecs().send(new CreateClusterCommand({clusterName: 'quiet'}))
      const select = sinon.stub(prompts, 'select')
      const {error, stderr} = await runCommand(['exec', '--cluster', 'quiet'])
      expect(error).to.equal(undefined)
      expect(stderr).to.include('Cluster quiet has no running tasks.').and.include('Nothing to exec into.')
      expect(select.called).to.equal(false)
    })

    it('a --container the picked task lacks: close names and exit 2, as without prompts', async () => {
      sinon.stub(prompts, 'search').callsFake(async (_m, choices) => choices[0].value)
      const {error} = await runCommand(['exec', '--cluster', 'prod', '--container', 'ap'])
      expect(error?.message).to.match(/Task \w+ has no container "ap"/)
      expect((error as any)?.suggestions.join(' ')).to.include('Did you mean app?')
      expect(error?.oclif?.exit).to.equal(2)
      expect(emulator.calls('ExecuteCommand')).to.have.length(0)
    })

    it('Ctrl-C at a prompt exits with 130', async () => {
      sinon.stub(prompts, 'search').rejects(Object.assign(new Error('User force closed the prompt'), {name: 'ExitPromptError'}))
      const {error, stderr} = await runCommand(['exec'])
      const code = process.exitCode
      process.exitCode = undefined
      expect(error).to.equal(undefined)
      expect(code).to.equal(130)
      expect(stderr).to.include('Cancelled.')
      expect(emulator.calls('ExecuteCommand')).to.have.length(0)
    })

    it('--service with several tasks asks which one', async () => {
      const ids = await taskIds('prod', 'web')
      let offered = 0
      sinon.stub(prompts, 'search').callsFake(async (_m, choices) => {
        offered = choices.length
        return choices.at(-1)!.value
      })
      const {error} = await runCommand(['exec', '--cluster', 'prod', '--service', 'web', '--use-plugin'])
      expect(error).to.equal(undefined)
      expect(offered).to.equal(ids.length)
    })
  })
})
