import {AwsError, invalidParameter, serviceNotFound} from '../errors.js'
import {page} from '../pagination.js'
import {includesTags, maxResults, oneOf, optBool, optInt, optList, optString, optStringList, reqString} from '../params.js'
import type {TaskRecord} from '../state/model.js'
import {describeBatch} from './batch.js'
import {tagsIn} from './clusters.js'
import type {Operation} from './context.js'
import {clusterOrThrow, usableTaskDefinition} from './services.js'
import {taskShape} from './shapes.js'

export const taskOperations: Record<string, Operation> = {
  DescribeTasks({account, now, params}) {
    const cluster = clusterOrThrow(account, params)
    const tags = includesTags(params)
    const {failures, found} = describeBatch(optStringList(params, 'tasks'), {
      arnOf: (ref) => account.arn(`task/${cluster.name}/${ref}`),
      find: (ref) => account.findTask(cluster, ref),
      max: 100,
      member: 'tasks',
      shape: (t) => taskShape(account, t, tags, now),
    })
    return {failures, tasks: found}
  },

  ExecuteCommand({account, now, params, sessionFactory, wsBase}) {
    const cluster = clusterOrThrow(account, params)
    const command = reqString(params, 'command', 'command')
    if (optBool(params, 'interactive') !== true) {
      throw invalidParameter('Interactive is the only mode supported currently.')
    }

    const t = account.findTask(cluster, reqString(params, 'task', 'task'))
    if (!t) throw invalidParameter('The specified task was not found.')
    if (account.taskStatus(t, now) !== 'RUNNING') {
      throw invalidParameter('The execute command failed because the task is not in RUNNING state.')
    }

    if (!t.enableExecuteCommand) {
      throw invalidParameter(
        'The execute command failed because execute command was not enabled when the task was run or the execute command agent isn’t running. Wait and try again or run a new task with execute command enabled and try again.',
      )
    }

    const name = optString(params, 'container')
    if (name === undefined && t.containers.length > 1) {
      throw invalidParameter('Task has multiple containers. Specify a container name and try again.')
    }

    const container = name === undefined ? t.containers[0] : t.containers.find((c) => c.name === name)
    if (!container) throw invalidParameter('The specified container was not found in the task.')
    // A container that has exited has no agent either.
    if (t.execAgent !== 'RUNNING' || account.containerExited(container, now)) {
      throw new AwsError('TargetNotConnectedException', 'The execute command failed due to an internal error. Try again later.')
    }

    const target = `ecs:${cluster.name}_${t.id}_${container.runtimeId}`
    let sessionId = `ecs-execute-command-${account.hex(17)}`
    let tokenValue = Buffer.from(account.hex(64), 'hex').toString('base64')
    let streamUrl = `${wsBase}/ssm/data-channel/${sessionId}`
    if (sessionFactory) {
      ;({sessionId, streamUrl, tokenValue} = sessionFactory({
        clusterName: cluster.name,
        command,
        containerName: container.name,
        kmsKeyId: cluster.configuration?.executeCommandConfiguration?.kmsKeyId,
        sessionId,
        target,
        taskArn: t.arn,
      }))
    }

    account.sessions.set(sessionId, {
      clusterName: cluster.name,
      command,
      containerName: container.name,
      createdAt: now,
      runtimeId: container.runtimeId,
      sessionId,
      streamUrl,
      target,
      taskArn: t.arn,
      taskId: t.id,
      terminated: false,
      tokenValue,
    })
    return {
      clusterArn: cluster.arn,
      containerArn: container.containerArn,
      containerName: container.name,
      interactive: true,
      session: {sessionId, streamUrl, tokenValue},
      taskArn: t.arn,
    }
  },

  ListTasks({account, now, params}) {
    const cluster = clusterOrThrow(account, params)
    const limit = maxResults(params, 100)
    const family = optString(params, 'family')
    const serviceName = optString(params, 'serviceName')
    const startedBy = optString(params, 'startedBy')
    const launchType = oneOf(params, 'launchType', ['EC2', 'FARGATE', 'EXTERNAL'] as const)
    const desired = oneOf(params, 'desiredStatus', ['RUNNING', 'PENDING', 'STOPPED'] as const) ?? 'RUNNING'
    const containerInstance = optString(params, 'containerInstance')
    // "When you specify startedBy as the filter, it must be the only filter that you use";
    // AWS answers "cannot specify startedBy with other arguments". desiredStatus is not
    // counted: it always applies (default RUNNING), so a starter's STOPPED tasks stay listable.
    if (startedBy !== undefined && [family, serviceName, launchType, containerInstance].some((f) => f !== undefined)) {
      throw invalidParameter('cannot specify startedBy with other arguments')
    }

    if (containerInstance !== undefined) {
      throw invalidParameter('containerInstance is not supported by the emulator (Fargate only).')
    }

    let source: Iterable<TaskRecord> = cluster.tasks.values()
    if (serviceName !== undefined) {
      const s = account.findService(cluster, serviceName)
      if (!s) throw serviceNotFound()
      source = s.tasks.values()
    }

    const found: TaskRecord[] = []
    for (const t of source) {
      if (account.expired(t, now)) continue
      if (family !== undefined && t.taskDefinition.family !== family) continue
      if (startedBy !== undefined && t.startedBy !== startedBy) continue
      if (launchType !== undefined && t.launchType !== launchType) continue
      // ECS never sets a task's desired status to PENDING (only lastStatus can be PENDING), so
      // desiredStatus PENDING is accepted and matches nothing; the request is still validated in full.
      if (account.desiredStatus(t, now) !== desired) continue
      found.push(t)
    }

    found.sort((x, y) => (x.arn < y.arn ? -1 : 1))
    const p = page(found, {
      filters: {cluster: cluster.name, desired, family, launchType, serviceName, startedBy},
      key: (t) => t.arn,
      limit,
      nextToken: optString(params, 'nextToken'),
      operation: 'ListTasks',
    })
    return {nextToken: p.nextToken, taskArns: p.items.map((t) => t.arn)}
  },

  RunTask({account, now, params}) {
    const cluster = clusterOrThrow(account, params)
    const td = usableTaskDefinition(account, reqString(params, 'taskDefinition', 'TaskDefinition'))
    const count = optInt(params, 'count') ?? 1
    if (count < 1 || count > 10) throw invalidParameter('count must be between 1 and 10.')
    const startedBy = optString(params, 'startedBy')
    if (startedBy !== undefined && startedBy.length > 128) throw invalidParameter('startedBy can have at most 128 characters.')
    const tags = tagsIn(optList(params, 'tags'))
    const tasks = []
    for (let i = 0; i < count; i++) {
      const t = account.createTask(cluster, td, {
        createdAt: now,
        enableExecuteCommand: optBool(params, 'enableExecuteCommand') ?? false,
        group: optString(params, 'group'),
        launchType: optString(params, 'launchType') ?? 'FARGATE',
        startedBy,
        tags,
      })
      tasks.push(taskShape(account, t, true, now))
    }

    return {failures: [], tasks}
  },

  StopTask({account, now, params}) {
    const cluster = clusterOrThrow(account, params)
    const t = account.findTask(cluster, reqString(params, 'task', 'task'))
    if (!t) throw invalidParameter('The referenced task was not found.')
    const reason = optString(params, 'reason') ?? 'Task stopped by user'
    if (account.desiredStatus(t, now) === 'RUNNING') {
      account.stopTask(t, now, reason, 'UserInitiated')
      // The service scheduler replaces a task stopped from outside.
      const s = t.serviceName ? cluster.services.get(t.serviceName) : undefined
      const d = s?.deployments.find((x) => x.id === t.deploymentId)
      if (s && d && s.status === 'ACTIVE' && d.rolloutState === 'COMPLETED') account.launchServiceTask(s, d, now)
    }

    return {task: taskShape(account, t, false, now)}
  },
}
