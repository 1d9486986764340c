import {ECSClient, ExecuteCommandCommand} from '@aws-sdk/client-ecs'
import {mockClient} from 'aws-sdk-client-mock'
import {expect} from 'chai'

import type {AwsContext} from '../../../src/lib/aws/context.js'
import {explainExecError} from '../../../src/lib/exec/explain.js'
import type {PluginRun} from '../../../src/lib/exec/launch.js'
import {ExplainedError} from '../../../src/lib/aws/errors.js'
import {pluginFailure, runExecSession, sessionClient} from '../../../src/lib/exec/session.js'
import type {NativeExecRequest} from '../../../src/lib/exec/ssm/exec-session.js'
import {SessionError, USE_PLUGIN_HINT} from '../../../src/lib/exec/ssm/session-error.js'
import {fakeTask} from './fake-tasks.js'

const context = (over: Partial<AwsContext> = {}): AwsContext => ({endpointFromFlag: false, maxAttempts: 3, region: 'eu-west-1', regionSource: 'flag', ...over})
const SESSION = {sessionId: 's-1', streamUrl: 'wss://x', tokenValue: 'TOKEN'}

describe('exec session start', () => {
  let ecsMock: ReturnType<typeof mockClient>
  const savedEnv = {...process.env}
  beforeEach(() => {
    ecsMock = mockClient(ECSClient)
    // The public endpoint is used only when no endpoint variable is set.
    delete process.env.AWS_ENDPOINT_URL
  })
  afterEach(() => {
    ecsMock.restore()
    process.env.AWS_ENDPOINT_URL = savedEnv.AWS_ENDPOINT_URL
  })

  const start = async (ctx: AwsContext) => {
    const seen: {file: string; args: string[]; env: Record<string, string>}[] = []
    const run = async (file: string, args: string[], env: Record<string, string>): Promise<PluginRun> => {
      seen.push({args, env, file})
      return {code: 0, stderrTail: ''}
    }

    const task = fakeTask({id: 'abc123'})
    await runExecSession({
      client: 'plugin',
      command: 'sh',
      container: 'app',
      context: ctx,
      credentials: async () => ({accessKeyId: 'AKID', secretAccessKey: 'SECRET', sessionToken: 'ST'}),
      ecs: new ECSClient({region: 'eu-west-1'}),
      pluginPath: '/bin/smp',
      run,
      task,
    })
    return seen[0]
  }

  it('with a profile: passes it, hands over no keys, and targets cluster_task_runtimeId on the public endpoint', async () => {
    ecsMock.on(ExecuteCommandCommand).resolves({session: SESSION})
    const {args, env, file} = await start(context({profile: 'acme'}))
    expect(file).to.equal('/bin/smp')
    expect(args.slice(1)).to.deep.equal(['eu-west-1', 'StartSession', 'acme', '{"Target":"ecs:prod_abc123_app-runtime-1234"}', 'https://ecs.eu-west-1.amazonaws.com'])
    expect(env).not.to.have.property('AWS_ACCESS_KEY_ID')
    expect(ecsMock.commandCalls(ExecuteCommandCommand)[0].args[0].input).to.deep.include({container: 'app', interactive: true})
  })

  it('without a profile: the resolved credentials go into the environment; a custom endpoint is passed on', async () => {
    ecsMock.on(ExecuteCommandCommand).resolves({session: SESSION})
    const {args, env} = await start(context({endpoint: 'http://127.0.0.1:4566', endpointFromFlag: true}))
    expect(args[3]).to.equal('')
    expect(args[5]).to.equal('http://127.0.0.1:4566')
    expect(env).to.include({AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'SECRET', AWS_SESSION_TOKEN: 'ST'})
  })

  it('TargetNotConnectedException is explained (task role, ssmmessages, agent)', async () => {
    ecsMock.on(ExecuteCommandCommand).rejects(Object.assign(new Error('The execute command failed due to an internal error.'), {name: 'TargetNotConnectedException'}))
    const error = await start(context()).catch((e) => e)
    expect(error).to.be.instanceOf(ExplainedError)
    expect(error.explained.message).to.include('not connected')
    expect(error.explained.suggestions[0]).to.include('task role').and.include('ssmmessages').and.include('platform 1.4.0')
  })

  it('other AWS errors pass through unexplained for the general mapping', async () => {
    ecsMock.on(ExecuteCommandCommand).rejects(Object.assign(new Error('boom'), {name: 'ServerException'}))
    const error = await start(context()).catch((e) => e)
    expect(error.name).to.equal('ServerException')
  })

  it('explains exec-not-enabled from ExecuteCommand with the service fix', () => {
    const explained = explainExecError(
      Object.assign(new Error('The execute command failed because execute command was not enabled when the task was run'), {name: 'InvalidParameterException'}),
      {cluster: 'arn:aws:ecs:eu-west-1:1:cluster/prod', service: 'web'},
    )
    expect(explained?.suggestions[0]).to.equal('aws ecs update-service --cluster prod --service web --enable-execute-command --force-new-deployment')
    expect(explainExecError(Object.assign(new Error('x'), {name: 'InvalidParameterException'}), {cluster: 'c'})).to.equal(undefined)
  })

  describe('the built-in client (the default)', () => {
    const native = async (run: (request: NativeExecRequest) => Promise<number>, pluginRun?: () => Promise<PluginRun>) =>
      runExecSession({
        client: 'native',
        command: 'sh',
        container: 'app',
        context: context({profile: 'acme'}),
        ecs: new ECSClient({region: 'eu-west-1'}),
        native: run,
        run: pluginRun,
        task: fakeTask({id: 'abc123'}),
      })

    it('gets the session, the target and the context, and resolves with the remote exit code; no plugin runs', async () => {
      ecsMock.on(ExecuteCommandCommand).resolves({session: SESSION})
      const seen: NativeExecRequest[] = []
      let pluginRuns = 0
      const code = await native(
        async (request) => {
          seen.push(request)
          return 3
        },
        async () => {
          pluginRuns++
          return {code: 0, stderrTail: ''}
        },
      )
      expect(code).to.equal(3)
      expect(pluginRuns).to.equal(0)
      expect(seen[0].session).to.deep.equal(SESSION)
      expect(seen[0].target).to.equal('ecs:prod_abc123_app-runtime-1234')
      expect(seen[0].context.profile).to.equal('acme')
    })

    it('a SessionError becomes one explained line with its hint, exit 1', async () => {
      ecsMock.on(ExecuteCommandCommand).resolves({session: SESSION})
      const error = await native(async () => {
        throw new SessionError('unsupported', 'The agent asked for "Port"; taskonaut\'s native client runs shell sessions only.', USE_PLUGIN_HINT)
      }).catch((e) => e)
      expect(error).to.be.instanceOf(ExplainedError)
      expect(error.explained).to.deep.equal({exit: 1, message: 'The agent asked for "Port"; taskonaut\'s native client runs shell sessions only.', suggestions: [USE_PLUGIN_HINT]})
      expect(error.explained.suggestions[0]).to.include('--use-plugin')
    })

    it('other errors pass through', async () => {
      ecsMock.on(ExecuteCommandCommand).resolves({session: SESSION})
      const error = await native(async () => {
        throw new TypeError('bug')
      }).catch((e) => e)
      expect(error).to.be.instanceOf(TypeError)
    })
  })

  it('sessionClient: --use-plugin / --no-use-plugin win over the saved setting; the built-in client otherwise', () => {
    expect(sessionClient(undefined, {})).to.equal('native')
    expect(sessionClient(undefined, {usePlugin: false})).to.equal('native')
    expect(sessionClient(undefined, {usePlugin: true})).to.equal('plugin')
    expect(sessionClient(true, {})).to.equal('plugin')
    expect(sessionClient(false, {usePlugin: true})).to.equal('native')
  })

  it('pluginFailure: a signal or a complaint on stderr is the plugin\'s failure; a bare exit code is the remote command\'s', () => {
    expect(pluginFailure({code: 7, stderrTail: ''})).to.equal(undefined)
    expect(pluginFailure({code: 0, stderrTail: 'warning\n'})).to.equal(undefined)
    expect(pluginFailure({code: 255, stderrTail: 'first\nCannot perform start session: EOF\n'})).to.deep.include({
      exit: 255,
      message: 'session-manager-plugin exited with code 255: Cannot perform start session: EOF',
    })
    expect(pluginFailure({code: 130, signal: 'SIGINT', stderrTail: ''})?.message).to.equal('session-manager-plugin was stopped by SIGINT.')
  })
})
