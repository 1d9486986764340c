import type {ECSClient, Task} from '@aws-sdk/client-ecs'

import {type AwsContext, endpointFor} from '../aws/context.js'
import {EXIT, type Explained, ExplainedError, firstLine} from '../aws/errors.js'
import {shortName, taskId} from '../ecs/names.js'
import {explainExecError} from './explain.js'
import {type PluginRun, PluginSpawnError, runPlugin} from './launch.js'
import {defaultEcsEndpoint, type ExecSession, pluginInvocation, sessionTarget, type StaticCredentials} from './plugin-invocation.js'
import {PLUGIN_NAME, pluginInstallHint} from './plugin.js'
import {serviceOf} from './preflight.js'
import type {NativeExecRequest} from './ssm/exec-session.js'
import type {SessionError} from './ssm/session-error.js'

/** Which program speaks the Session Manager protocol for a session. */
export type SessionClient = 'native' | 'plugin'

/**
 * The built-in client unless --use-plugin is given or the usePlugin setting is saved;
 * --no-use-plugin overrides the setting for one run.
 */
export function sessionClient(flag: boolean | undefined, settings: {usePlugin?: boolean}): SessionClient {
  return (flag ?? settings.usePlugin ?? false) ? 'plugin' : 'native'
}

export interface SessionRequest {
  ecs: ECSClient
  context: AwsContext
  /** The task as DescribeTasks returned it (preflight already looked at it). */
  task: Task
  container: string
  command: string
  client: SessionClient
  /** Where session-manager-plugin is (client 'plugin'). */
  pluginPath?: string
  /** Resolves the credentials the ECS client uses (handed to the plugin when there is no profile). */
  credentials?: () => Promise<StaticCredentials | undefined>
  /** Runs the plugin; tests replace it. */
  run?: typeof runPlugin
  /** Runs the built-in client; tests replace it. Default: src/lib/exec/ssm, loaded only now (it loads ws). */
  native?: (request: NativeExecRequest) => Promise<number>
}

export interface StartedCommand {
  /** ExecuteCommand's answer `session` (sessionId, streamUrl, tokenValue). */
  session: ExecSession
  /** `ecs:<clusterName>_<taskId>_<runtimeId>` */
  target: string
}

/**
 * ExecuteCommand for a container of a described task, with its failures explained, and the
 * session target. The container's runtimeId comes from the DescribeTasks answer preflight
 * already has, so no second DescribeTasks is made. Shared by the plugin launch below and any
 * other session client (src/lib/exec/ssm).
 */
export async function startExecuteCommand(ecs: ECSClient, task: Task, container: string, command: string): Promise<StartedCommand> {
  const {ExecuteCommandCommand} = await import('@aws-sdk/client-ecs')
  const clusterArn = task.clusterArn ?? ''
  let out
  try {
    out = await ecs.send(new ExecuteCommandCommand({cluster: clusterArn, command, container, interactive: true, task: task.taskArn}))
  } catch (error) {
    const explained = explainExecError(error, {cluster: clusterArn, service: serviceOf(task)})
    if (explained) throw new ExplainedError(explained)
    throw error
  }

  const runtimeId = task.containers?.find((c) => c.name === container)?.runtimeId ?? ''
  return {session: out.session ?? {}, target: sessionTarget(shortName(clusterArn), taskId(task.taskArn ?? ''), runtimeId)}
}

/**
 * ExecuteCommand, then the session on this terminal: taskonaut's own client, or
 * session-manager-plugin started the way the AWS CLI does it. Resolves with the remote exit
 * code; a session that cannot start or breaks throws an ExplainedError (one line, a hint).
 */
export async function runExecSession(req: SessionRequest): Promise<number> {
  const {session, target} = await startExecuteCommand(req.ecs, req.task, req.container, req.command)
  if (req.client === 'native') {
    const run = req.native ?? (await import('./ssm/exec-session.js')).runNativeExecSession
    try {
      return await run({context: req.context, session, target})
    } catch (error) {
      // By name: the lazily loaded module may not be the copy this file sees.
      if ((error as Error).name === 'SessionError') {
        const {hint, message} = error as SessionError
        throw new ExplainedError({exit: EXIT.FAILURE, message, suggestions: [hint]})
      }

      throw error
    }
  }

  const invocation = pluginInvocation({
    credentials: req.context.profile ? undefined : await req.credentials?.(),
    endpoint: endpointFor('ecs', req.context) ?? defaultEcsEndpoint(req.context.region),
    profile: req.context.profile,
    region: req.context.region,
    session,
    target,
  })
  let ran: PluginRun
  try {
    ran = await (req.run ?? runPlugin)(req.pluginPath ?? PLUGIN_NAME, invocation.args, invocation.env)
  } catch (error) {
    if (error instanceof PluginSpawnError) throw new ExplainedError({exit: EXIT.FAILURE, message: `${error.message}.`, suggestions: [pluginInstallHint()]})
    throw error
  }

  const failure = pluginFailure(ran)
  if (failure) throw new ExplainedError(failure)
  return ran.code
}

/**
 * How session-manager-plugin ended, when that is its own failure rather than the remote
 * command's exit code: killed by a signal, or a non-zero exit with a complaint on stderr
 * (a remote command that fails writes nothing to the plugin's stderr).
 */
export function pluginFailure(ran: PluginRun): Explained | undefined {
  if (ran.signal) {
    return {exit: ran.code, message: `session-manager-plugin was stopped by ${ran.signal}.`, suggestions: ['Run the command again; the remote process may still be running.']}
  }

  const complaint = ran.stderrTail.trim()
  if (ran.code !== 0 && complaint) {
    return {
      exit: ran.code,
      message: `session-manager-plugin exited with code ${ran.code}: ${firstLine(complaint.split('\n').at(-1) ?? '')}`,
      suggestions: ['Check the message above; `session-manager-plugin --version` shows the installed version.'],
    }
  }

  return undefined
}
