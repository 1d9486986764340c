import {AwsError, clusterNotFound, invalidParameter, serviceNotFound} from '../errors.js'
import {page, padNumber} from '../pagination.js'
import {
  enumList,
  includesTags,
  maxResults,
  oneOf,
  optBool,
  optInt,
  optList,
  optObject,
  optString,
  optStringList,
  optTimestamp,
  reqString,
  type Params,
} from '../params.js'
import type {Account} from '../state/account.js'
import {type ClusterRecord, SERVICE_DEPLOYMENT_STATUSES, type ServiceDeploymentRecord, type ServiceRecord, type TaskDefinitionRecord} from '../state/model.js'
import {describeBatch} from './batch.js'
import {tagsIn} from './clusters.js'
import type {Operation} from './context.js'
import {serviceDeploymentBrief, serviceDeploymentShape, serviceRevisionShape, serviceShape} from './shapes.js'

export function clusterOrThrow(account: Account, params: Params): ClusterRecord {
  const c = account.findCluster(optString(params, 'cluster'))
  if (!c) throw clusterNotFound()
  return c
}

/**
 * A revision new work may use: it exists and is ACTIVE (AWS refuses INACTIVE ones). The
 * error type depends on the caller, as in AWS: the service scheduler (CreateService,
 * UpdateService) answers ClientException, RunTask InvalidParameterException (README).
 */
export function usableTaskDefinition(
  account: Account,
  ref: string,
  errorType: 'ClientException' | 'InvalidParameterException' = 'InvalidParameterException',
): TaskDefinitionRecord {
  const td = account.findTaskDefinition(ref)
  if (!td) throw new AwsError(errorType, 'TaskDefinition not found.')
  if (td.status === 'INACTIVE') throw new AwsError(errorType, 'TaskDefinition is inactive')
  if (td.status === 'DELETE_IN_PROGRESS') throw new AwsError(errorType, 'TaskDefinition is being deleted')
  return td
}

function activeService(account: Account, cluster: ClusterRecord, ref: string): ServiceRecord {
  const s = account.findService(cluster, ref)
  if (!s) throw serviceNotFound()
  if (s.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.')
  return s
}

function circuitBreakerIn(params: Params): {enable: boolean; rollback: boolean} | undefined {
  const cb = optObject(optObject(params, 'deploymentConfiguration') ?? {}, 'deploymentCircuitBreaker')
  if (!cb) return undefined
  return {enable: cb.enable === true, rollback: cb.rollback === true}
}

function serviceDeploymentOf(account: Account, arn: string) {
  // arn:aws:ecs:REGION:ACCOUNT:service-deployment/CLUSTER/SERVICE/ID
  const [clusterName, serviceName] = arn.split(':service-deployment/')[1]?.split('/') ?? []
  if (!arn.startsWith(account.arn('service-deployment/')) || !clusterName || !serviceName) return undefined
  const s = account.clusters.get(clusterName)?.services.get(serviceName)
  const sd = s?.serviceDeployments.find((x) => x.arn === arn)
  return s && sd ? {s, sd} : undefined
}

export const serviceOperations: Record<string, Operation> = {
  CreateService({account, now, params}) {
    const cluster = clusterOrThrow(account, params)
    const name = reqString(params, 'serviceName', 'serviceName')
    if (!/^[a-zA-Z0-9_-]{1,255}$/.test(name)) throw invalidParameter('Invalid service name: up to 255 letters, numbers, hyphens and underscores.')
    const existing = cluster.services.get(name)
    if (existing && existing.status !== 'INACTIVE') throw invalidParameter('Creation of service was not idempotent.')
    const controller = (optObject(params, 'deploymentController')?.type as ServiceRecord['deploymentController'] | undefined) ?? 'ECS'
    if (!['ECS', 'CODE_DEPLOY', 'EXTERNAL'].includes(controller)) throw invalidParameter('Invalid deployment controller type.')
    const ref = optString(params, 'taskDefinition')
    if (!ref && controller !== 'EXTERNAL') throw invalidParameter('TaskDefinition can not be blank.')
    const td = ref ? usableTaskDefinition(account, ref, 'ClientException') : undefined
    const desiredCount = optInt(params, 'desiredCount') ?? (optString(params, 'schedulingStrategy') === 'DAEMON' ? 0 : undefined)
    if (desiredCount === undefined) throw invalidParameter('desiredCount must be specified for services with the REPLICA scheduling strategy.')
    if (desiredCount < 0) throw invalidParameter('desiredCount must be 0 or more.')
    const cfg = optObject(params, 'deploymentConfiguration') ?? {}
    const s: ServiceRecord = {
      arn: account.arn(`service/${cluster.name}/${name}`),
      circuitBreaker: circuitBreakerIn(params) ?? {enable: false, rollback: false},
      cluster,
      createdAt: now,
      createdBy: account.callerArn,
      deploymentController: controller,
      deployments: [],
      desiredCount,
      enableExecuteCommand: optBool(params, 'enableExecuteCommand') ?? false,
      events: [],
      execAgent: 'RUNNING',
      launchType: optString(params, 'launchType') ?? 'FARGATE',
      maximumPercent: typeof cfg.maximumPercent === 'number' ? cfg.maximumPercent : 200,
      minimumHealthyPercent: typeof cfg.minimumHealthyPercent === 'number' ? cfg.minimumHealthyPercent : 100,
      name,
      networkConfiguration: params.networkConfiguration,
      revisions: new Map(),
      schedulingStrategy: optString(params, 'schedulingStrategy') === 'DAEMON' ? 'DAEMON' : 'REPLICA',
      serviceDeployments: [],
      status: 'ACTIVE',
      tags: tagsIn(optList(params, 'tags')),
      tasks: new Map(),
    }
    cluster.services.set(name, s)
    if (td) account.startDeployment(s, td, now)
    return {service: serviceShape(account, s, false, now)}
  },

  DeleteService({account, now, params}) {
    const cluster = clusterOrThrow(account, params)
    const s = activeService(account, cluster, reqString(params, 'service'))
    if (s.desiredCount > 0 && optBool(params, 'force') !== true) {
      throw invalidParameter('The service cannot be stopped while it is scaled above 0.')
    }

    // DRAINING while its tasks stop, then INACTIVE (Account.settle); it leaves ListServices
    // at once, DescribeServices keeps showing it.
    for (const t of s.tasks.values()) account.stopTask(t, now, 'Service deleted', 'ServiceSchedulerInitiated')
    account.drain(s)
    return {service: serviceShape(account, s, false, now)}
  },

  DescribeServiceDeployments({account, now, params}) {
    const {failures, found} = describeBatch(optStringList(params, 'serviceDeploymentArns'), {
      arnOf: (ref) => ref,
      find: (arn) => serviceDeploymentOf(account, arn),
      max: 20,
      member: 'serviceDeploymentArns',
      shape: ({s, sd}) => serviceDeploymentShape(account, s, sd, now),
    })
    return {failures, serviceDeployments: found}
  },

  DescribeServiceRevisions({account, params}) {
    const {failures, found} = describeBatch(optStringList(params, 'serviceRevisionArns'), {
      arnOf: (ref) => ref,
      find(arn) {
        const [clusterName, serviceName] = arn.split(':service-revision/')[1]?.split('/') ?? []
        const s = clusterName && serviceName ? account.clusters.get(clusterName)?.services.get(serviceName) : undefined
        const r = s?.revisions.get(arn)
        return s && r ? {r, s} : undefined
      },
      max: 20,
      member: 'serviceRevisionArns',
      shape: ({r, s}) => serviceRevisionShape(s, r),
    })
    return {failures, serviceRevisions: found}
  },

  DescribeServices({account, now, params}) {
    const cluster = clusterOrThrow(account, params)
    const tags = includesTags(params)
    const {failures, found} = describeBatch(optStringList(params, 'services'), {
      arnOf: (ref) => account.arn(`service/${cluster.name}/${ref}`),
      find: (ref) => account.findService(cluster, ref),
      max: 10,
      member: 'services',
      shape: (s) => serviceShape(account, s, tags, now),
    })
    return {failures, services: found}
  },

  ListServiceDeployments({account, params}) {
    const cluster = clusterOrThrow(account, params)
    const s = account.findService(cluster, reqString(params, 'service'))
    if (!s) throw serviceNotFound()
    const limit = maxResults(params, 20)
    const statuses = enumList(params, 'status', SERVICE_DEPLOYMENT_STATUSES)
    const created = optObject(params, 'createdAt') ?? {}
    const after = optTimestamp(created, 'after')
    const before = optTimestamp(created, 'before')
    // Newest first, like the console and the API; the key breaks ties so pages stay exact.
    const key = (sd: ServiceDeploymentRecord) => `${padNumber(Math.round(sd.createdAt))}:${padNumber(s.serviceDeployments.indexOf(sd))}`
    const list = s.serviceDeployments
      .filter((sd) => !statuses || statuses.includes(sd.status))
      .filter((sd) => (after === undefined || sd.createdAt >= after) && (before === undefined || sd.createdAt <= before))
      .map((sd) => ({k: key(sd), sd}))
      .sort((x, y) => (x.k < y.k ? 1 : -1))
      .map(({sd}) => sd)
    const p = page(list, {
      descending: true,
      filters: {after, before, cluster: cluster.name, service: s.name, statuses},
      key,
      limit,
      nextToken: optString(params, 'nextToken'),
      operation: 'ListServiceDeployments',
    })
    return {nextToken: p.nextToken, serviceDeployments: p.items.map((sd) => serviceDeploymentBrief(s, sd))}
  },

  ListServices({account, params}) {
    const cluster = clusterOrThrow(account, params)
    const limit = maxResults(params, 10)
    const launchType = oneOf(params, 'launchType', ['EC2', 'FARGATE', 'EXTERNAL'] as const)
    const scheduling = oneOf(params, 'schedulingStrategy', ['REPLICA', 'DAEMON'] as const)
    const arns = [...cluster.services.values()]
      .filter((s) => s.status === 'ACTIVE')
      .filter((s) => (!launchType || s.launchType === launchType) && (!scheduling || s.schedulingStrategy === scheduling))
      .map((s) => s.arn)
      .sort()
    const p = page(arns, {
      filters: {cluster: cluster.name, launchType, scheduling},
      key: (x) => x,
      limit,
      nextToken: optString(params, 'nextToken'),
      operation: 'ListServices',
    })
    return {nextToken: p.nextToken, serviceArns: p.items}
  },

  UpdateService({account, now, params}) {
    const cluster = clusterOrThrow(account, params)
    const s = activeService(account, cluster, reqString(params, 'service'))
    const ref = optString(params, 'taskDefinition')
    const force = optBool(params, 'forceNewDeployment') ?? false
    if (s.deploymentController === 'CODE_DEPLOY' && (ref !== undefined || force)) {
      throw invalidParameter(
        'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
      )
    }

    if (s.deploymentController === 'EXTERNAL' && ref !== undefined) {
      throw invalidParameter('Unable to update task definition on services with an EXTERNAL deployment controller. Use a task set instead.')
    }

    const td = ref === undefined ? undefined : usableTaskDefinition(account, ref, 'ClientException')
    const desired = optInt(params, 'desiredCount')
    if (desired !== undefined) {
      if (desired < 0) throw invalidParameter('desiredCount must be 0 or more.')
      s.desiredCount = desired
    }

    const exec = optBool(params, 'enableExecuteCommand')
    if (exec !== undefined) s.enableExecuteCommand = exec
    const cb = circuitBreakerIn(params)
    if (cb) s.circuitBreaker = cb
    if (params.networkConfiguration !== undefined) s.networkConfiguration = params.networkConfiguration
    const current = s.deployments[0]?.taskDefinition
    if ((td && td !== current) || force) {
      account.startDeployment(s, td ?? (current as TaskDefinitionRecord), now)
    } else if (desired !== undefined) {
      account.scale(s, now)
    }

    return {service: serviceShape(account, s, false, now)}
  },
}

