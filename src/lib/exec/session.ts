import type {ECSClient, Task} from '@aws-sdk/client-ecs'

import {type AwsContext, endpointFor} from '../aws/context.js'
import type {Explained} from '../aws/errors.js'
import {shortName, taskId} from '../ecs/names.js'
import {explainExecError} from './explain.js'
import {type PluginRun, runPlugin} from './launch.js'
import {defaultEcsEndpoint, pluginInvocation, sessionTarget, type StaticCredentials} from './plugin-invocation.js'
import {serviceOf} from './preflight.js'

/** A failure with its explanation, for the command to show (BaseCommand.fail). */
export class ExplainedFailure extends Error {
  constructor(readonly explained: Explained) {
    super(explained.message)
    this.name = 'ExplainedFailure'
  }
}

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

/**
 * ExecuteCommand, then session-manager-plugin with the session, as the AWS CLI does it. The
 * container's runtimeId comes from the DescribeTasks answer preflight already has, so no
 * second DescribeTasks is made. Returns how the plugin ended.
 */
export async function runExecSession(req: SessionRequest): Promise<PluginRun> {
  const {ExecuteCommandCommand} = await import('@aws-sdk/client-ecs')
  const {task} = req
  const clusterArn = task.clusterArn ?? ''
  const container = task.containers?.find((c) => c.name === req.container)
  let out
  try {
    out = await req.ecs.send(new ExecuteCommandCommand({cluster: clusterArn, command: req.command, container: req.container, interactive: true, task: task.taskArn}))
  } catch (error) {
    const explained = explainExecError(error, {cluster: clusterArn, service: serviceOf(task)})
    if (explained) throw new ExplainedFailure(explained)
    throw error
  }

  const runtimeId = container?.runtimeId ?? ''
  const invocation = pluginInvocation({
    credentials: req.context.profile ? undefined : await req.credentials?.(),
    endpoint: endpointFor('ecs', req.context) ?? defaultEcsEndpoint(req.context.region),
    profile: req.context.profile,
    region: req.context.region,
    session: out.session ?? {},
    target: sessionTarget(shortName(clusterArn), taskId(task.taskArn ?? ''), runtimeId),
  })
  return (req.run ?? runPlugin)(req.pluginPath, invocation.args, invocation.env)
}
