import type {Container, ECSClient, Task} from '@aws-sdk/client-ecs'

import {shortName, taskId} from '../ecs/names.js'
import {closeMatches, orList} from '../text/similar.js'
import {findPlugin, pluginInstallHint} from './plugin.js'

/** One thing that must hold before an exec session can start. */
export interface PreflightItem {
  id: 'task-found' | 'task-running' | 'exec-enabled' | 'container' | 'container-running' | 'agent-running' | 'plugin'
  /** What was checked, e.g. "task 3f2a… is RUNNING". */
  title: string
  /** The same, said as a failure ("task 3f2a… is not RUNNING"). */
  problem: string
  ok: boolean
  /** Why it failed (or what was found). */
  detail?: string
  /** What to do about a failure. */
  fix?: string
}

export interface PreflightInput {
  cluster: string
  task: Task
  /** The container to exec into; undefined checks every container of the task. */
  container?: string
  /** Path of session-manager-plugin, or undefined when it is not installed. */
  pluginPath?: string
  /** false when the session runs without the plugin (the built-in client): no plugin item. */
  needsPlugin?: boolean
  platform?: NodeJS.Platform
}

export const EXEC_AGENT = 'ExecuteCommandAgent'

/** The service a task belongs to (`group` is `service:NAME` for service tasks). */
export function serviceOf(task: Task): string | undefined {
  return task.group?.startsWith('service:') ? task.group.slice('service:'.length) : undefined
}

export function execAgent(container: Container) {
  return container.managedAgents?.find((a) => a.name === EXEC_AGENT)
}

function enableExecFix(cluster: string, task: Task): string {
  const service = serviceOf(task)
  return service
    ? `Enable it and replace the tasks: aws ecs update-service --cluster ${shortName(cluster)} --service ${service} --enable-execute-command --force-new-deployment`
    : 'Exec must be enabled when a task starts: run it again with --enable-execute-command (RunTask enableExecuteCommand: true).'
}

function containerItems(cluster: string, task: Task, container: Container): PreflightItem[] {
  const name = container.name ?? '?'
  const running = container.lastStatus === 'RUNNING'
  const items: PreflightItem[] = [
    {
      detail: running ? undefined : `it is ${container.lastStatus ?? 'in an unknown state'}${container.reason ? ` (${container.reason})` : ''}${container.exitCode === undefined ? '' : `, exit code ${container.exitCode}`}`,
      fix: running ? undefined : 'Pick a running container, or look at why it stopped: its logs and the task\'s stoppedReason.',
      id: 'container-running',
      ok: running,
      problem: `container ${name} is not RUNNING`,
      title: `container ${name} is RUNNING`,
    },
  ]
  const agent = execAgent(container)
  const agentOk = agent?.lastStatus === 'RUNNING'
  let fix: string | undefined
  if (!agentOk) {
    if (!agent) fix = task.enableExecuteCommand ? 'The agent was not started in this container; replace the task (it may predate exec being enabled).' : enableExecFix(cluster, task)
    else if (agent.lastStatus === 'PENDING') fix = 'The agent is still starting: try again in a few seconds.'
    else
      fix =
        'The agent stopped: check that the task role allows ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel and OpenDataChannel, that the task can reach the ssmmessages endpoint (NAT or VPC endpoint), and (Fargate) that the platform version is 1.4.0 or later; then replace the task.'
  }

  items.push({
    detail: agentOk ? undefined : agent ? `it is ${agent.lastStatus ?? 'in an unknown state'}${agent.reason ? ` (${agent.reason})` : ''}` : 'no ExecuteCommandAgent in this container',
    fix,
    id: 'agent-running',
    ok: agentOk,
    problem: `${EXEC_AGENT} in ${name} is not RUNNING`,
    title: `${EXEC_AGENT} in ${name} is RUNNING`,
  })
  return items
}

/**
 * Everything that must hold before ExecuteCommand can open a session, each with what to do
 * when it fails. Pure: it looks only at the DescribeTasks answer and whether the plugin was
 * found, so `exec` and `doctor` share it and every failure is tested directly.
 */
export function preflight(input: PreflightInput): PreflightItem[] {
  const {cluster, task} = input
  const id = taskId(task.taskArn ?? '?')
  const running = task.lastStatus === 'RUNNING'
  const items: PreflightItem[] = [
    {
      detail: running ? undefined : `it is ${task.lastStatus ?? 'in an unknown state'}${task.desiredStatus && task.desiredStatus !== task.lastStatus ? ` (desired ${task.desiredStatus})` : ''}${task.stoppedReason ? `: ${task.stoppedReason}` : ''}`,
      fix: running ? undefined : `Pick a running task: taskonaut exec --cluster ${shortName(cluster)}${serviceOf(task) ? ` --service ${serviceOf(task)}` : ''}`,
      id: 'task-running',
      ok: running,
      problem: `task ${id} is not RUNNING`,
      title: `task ${id} is RUNNING`,
    },
    {
      detail: task.enableExecuteCommand ? undefined : 'enableExecuteCommand is false on this task',
      fix: task.enableExecuteCommand ? undefined : enableExecFix(cluster, task),
      id: 'exec-enabled',
      ok: Boolean(task.enableExecuteCommand),
      problem: 'exec is not enabled on the task',
      title: 'exec is enabled on the task',
    },
  ]

  const containers = task.containers ?? []
  if (input.container === undefined) {
    for (const c of containers) items.push(...containerItems(cluster, task, c))
  } else {
    const container = containers.find((c) => c.name === input.container)
    if (container) items.push(...containerItems(cluster, task, container))
    else {
      const names = containers.map((c) => c.name ?? '?')
      const close = closeMatches(input.container, names)
      items.push({
        detail: `the task has ${names.join(', ') || 'no containers'}`,
        fix: `${close.length > 0 ? `Did you mean ${orList(close)}? ` : ''}Pass --container with one of: ${names.join(', ')}`,
        id: 'container',
        ok: false,
        problem: `the task has no container ${input.container}`,
        title: `container ${input.container} exists in the task`,
      })
    }
  }

  if (input.needsPlugin === false) return items
  items.push({
    detail: input.pluginPath ?? 'not found on PATH',
    fix: input.pluginPath ? undefined : pluginInstallHint(input.platform),
    id: 'plugin',
    ok: Boolean(input.pluginPath),
    problem: 'session-manager-plugin is not installed',
    title: 'session-manager-plugin is installed',
  })
  return items
}

export interface PreflightReport {
  ok: boolean
  items: PreflightItem[]
  /** The task as DescribeTasks returned it, when it was found. */
  task?: Task
}

/**
 * The exec preflight for `taskonaut doctor --cluster c --task t [--container n]`: one
 * DescribeTasks call and a PATH lookup, every item reported with ok/fail and a fix. `task` is
 * a task id or ARN. AWS errors (unknown cluster, credentials) are thrown for the caller's
 * error mapping.
 */
export async function execPreflight(
  ecs: ECSClient,
  target: {cluster: string; task: string; container?: string},
  opts: {env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; abortSignal?: AbortSignal; needsPlugin?: boolean} = {},
): Promise<PreflightReport> {
  const {DescribeTasksCommand} = await import('@aws-sdk/client-ecs')
  const [out, pluginPath] = await Promise.all([
    ecs.send(new DescribeTasksCommand({cluster: target.cluster, tasks: [target.task]}), {abortSignal: opts.abortSignal}),
    findPlugin(opts.env, opts.platform),
  ])
  const task = out.tasks?.[0]
  if (!task) {
    const items: PreflightItem[] = [
      {
        detail: out.failures?.[0]?.reason ?? 'MISSING',
        fix: `Check the id (running tasks: taskonaut exec --cluster ${shortName(target.cluster)}); stopped tasks disappear after about an hour.`,
        id: 'task-found',
        ok: false,
        problem: `task ${target.task} was not found in cluster ${shortName(target.cluster)}`,
        title: `task ${target.task} exists in cluster ${shortName(target.cluster)}`,
      },
    ]
    return {items, ok: false}
  }

  const items = preflight({cluster: target.cluster, container: target.container, needsPlugin: opts.needsPlugin, platform: opts.platform, pluginPath, task})
  return {items, ok: items.every((i) => i.ok), task}
}
