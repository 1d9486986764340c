import type {ECSClient, Task} from '@aws-sdk/client-ecs'

import {type AwsContext, endpointFor} from '../aws/context.js'
import {ExplainedError} from '../aws/errors.js'
import {shortName, taskId} from '../ecs/names.js'
import {explainExecError} from './explain.js'
import {type PluginRun, runPlugin} from './launch.js'
import {defaultEcsEndpoint, type ExecSession, pluginInvocation, sessionTarget, type StaticCredentials} from './plugin-invocation.js'
import {serviceOf} from './preflight.js'

export interface SessionRequest {
  ecs: ECSClient
  context: AwsContext
  /** The task as DescribeTasks returned it (preflight already looked at it). */
  task: Task
  container: string
  command: string
  pluginPath: string
  /** Resolves the credentials the ECS client uses (handed to the plugin when there is no profile). */
  credentials?: () => Promise<StaticCredentials | undefined>
  /** Runs the plugin; tests replace it. */
  run?: typeof runPlugin
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

/** ExecuteCommand, then session-manager-plugin with the session, as the AWS CLI does it. Returns how the plugin ended. */
export async function runExecSession(req: SessionRequest): Promise<PluginRun> {
  const {session, target} = await startExecuteCommand(req.ecs, req.task, req.container, req.command)
  const invocation = pluginInvocation({
    credentials: req.context.profile ? undefined : await req.credentials?.(),
    endpoint: endpointFor('ecs', req.context) ?? defaultEcsEndpoint(req.context.region),
    profile: req.context.profile,
    region: req.context.region,
    session,
    target,
  })
  return (req.run ?? runPlugin)(req.pluginPath, invocation.args, invocation.env)
}
