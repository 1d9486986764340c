import type {Account} from '../state/account.js'
import type {
  ClusterRecord,
  DeploymentRecord,
  ServiceDeploymentRecord,
  ServiceRecord,
  ServiceRevisionRecord,
  Tag,
  TaskDefinitionRecord,
  TaskRecord,
} from '../state/model.js'

/** JSON 1.1 timestamps are epoch seconds (the SDK reads fractions too). */
export const epoch = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms) / 1000)

/** Drops undefined members so answers look like AWS's (absent, not null). */
function clean<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]
  return o
}

export function clusterShape(a: Account, c: ClusterRecord, includeTags: boolean, now: number) {
  let running = 0
  let pending = 0
  for (const t of c.tasks.values()) {
    const st = a.taskStatus(t, now)
    if (st === 'RUNNING') running++
    else if (st === 'PENDING' || st === 'PROVISIONING') pending++
  }

  let activeServices = 0
  for (const s of c.services.values()) if (s.status === 'ACTIVE') activeServices++
  return clean({
    activeServicesCount: activeServices,
    capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    clusterArn: c.arn,
    clusterName: c.name,
    configuration: c.configuration,
    defaultCapacityProviderStrategy: [],
    pendingTasksCount: pending,
    registeredContainerInstancesCount: 0,
    runningTasksCount: running,
    settings: [{name: 'containerInsights', value: 'disabled'}],
    statistics: [],
    status: c.status,
    tags: includeTags ? c.tags : undefined,
  })
}

export function taskDefinitionShape(td: TaskDefinitionRecord) {
  const networkMode = (td.body.networkMode as string | undefined) ?? 'awsvpc'
  const requires = td.body.requiresCompatibilities as string[] | undefined
  return clean({
    ...td.body,
    compatibilities: networkMode === 'awsvpc' ? ['EC2', 'FARGATE'] : ['EC2'],
    deleteRequestedAt: epoch(td.deleteRequestedAt),
    deregisteredAt: epoch(td.deregisteredAt),
    family: td.family,
    networkMode,
    placementConstraints: (td.body.placementConstraints as unknown[]) ?? [],
    registeredAt: epoch(td.registeredAt),
    registeredBy: td.registeredBy,
    requiresAttributes: [{name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18'}],
    requiresCompatibilities: requires,
    revision: td.revision,
    status: td.status,
    taskDefinitionArn: td.arn,
    volumes: (td.body.volumes as unknown[]) ?? [],
  })
}

export function taskShape(a: Account, t: TaskRecord, includeTags: boolean, now: number) {
  const status = a.taskStatus(t, now)
  const desired = a.desiredStatus(t, now)
  const running = status === 'RUNNING'
  const stopped = status === 'STOPPED'
  const startedAt = t.taskDefinition.broken ? undefined : t.runningAt
  return clean({
    attachments: [],
    attributes: [{name: 'ecs.cpu-architecture', value: 'x86_64'}],
    availabilityZone: `${a.region}a`,
    clusterArn: t.cluster.arn,
    connectivity: status === 'PROVISIONING' ? undefined : 'CONNECTED',
    connectivityAt: status === 'PROVISIONING' ? undefined : epoch(t.createdAt + 2000),
    containers: t.containers.map((c) => {
      // A container whose process exited (exitContainer) is STOPPED while its task runs on.
      const exited = a.containerExited(c, now)
      const down = stopped || exited
      return clean({
        containerArn: c.containerArn,
        cpu: c.cpu === undefined ? undefined : String(c.cpu),
        exitCode: exited ? c.exitCode : stopped ? (t.taskDefinition.broken ? 1 : 0) : undefined,
        healthStatus: 'UNKNOWN',
        image: c.image,
        lastStatus: down ? 'STOPPED' : running || status === 'STOPPING' ? 'RUNNING' : 'PENDING',
        managedAgents: t.enableExecuteCommand
          ? [
              clean({
                lastStartedAt: running ? epoch(t.runningAt) : undefined,
                lastStatus: down ? 'STOPPED' : running ? t.execAgent : 'PENDING',
                name: 'ExecuteCommandAgent',
              }),
            ]
          : undefined,
        memory: c.memory === undefined ? undefined : String(c.memory),
        name: c.name,
        networkInterfaces: [],
        reason: (stopped && t.taskDefinition.broken && c.essential) || (exited && c.essential) ? 'Essential container in task exited' : undefined,
        runtimeId: status === 'PROVISIONING' ? undefined : c.runtimeId,
        taskArn: t.arn,
      })
    }),
    cpu: t.cpu,
    createdAt: epoch(t.createdAt),
    desiredStatus: desired,
    enableExecuteCommand: t.enableExecuteCommand,
    executionStoppedAt: stopped ? epoch(t.stoppedAt) : undefined,
    group: t.group,
    healthStatus: 'UNKNOWN',
    lastStatus: status,
    launchType: t.launchType,
    memory: t.memory,
    overrides: {containerOverrides: t.containers.map((c) => ({name: c.name})), inferenceAcceleratorOverrides: []},
    platformFamily: t.launchType === 'FARGATE' ? 'Linux' : undefined,
    platformVersion: t.launchType === 'FARGATE' ? '1.4.0' : undefined,
    pullStartedAt: status === 'PROVISIONING' ? undefined : epoch(t.createdAt + 3000),
    pullStoppedAt: running || stopped ? epoch(t.createdAt + 8000) : undefined,
    startedAt: running || (status !== 'PROVISIONING' && status !== 'PENDING' && startedAt !== undefined) ? epoch(startedAt) : undefined,
    startedBy: t.startedBy,
    stopCode: desired === 'STOPPED' ? t.stopCode : undefined,
    stoppedAt: stopped ? epoch(t.stoppedAt) : undefined,
    stoppedReason: desired === 'STOPPED' ? t.stoppedReason : undefined,
    stoppingAt: desired === 'STOPPED' ? epoch(t.stoppingAt) : undefined,
    tags: includeTags ? t.tags : undefined,
    taskArn: t.arn,
    taskDefinitionArn: t.taskDefinition.arn,
    version: {PENDING: 2, PROVISIONING: 1, RUNNING: 3, STOPPED: 5, STOPPING: 4}[status],
  })
}

export function deploymentShape(a: Account, s: ServiceRecord, d: DeploymentRecord, now: number) {
  const {pending, running} = a.counts(s, d, now)
  const broken = d.taskDefinition.broken && d.rolloutState === 'IN_PROGRESS'
  return clean({
    createdAt: epoch(d.createdAt),
    desiredCount: d.desiredCount,
    failedTasks: d.failedTasks,
    id: d.id,
    launchType: d.launchType,
    networkConfiguration: s.networkConfiguration,
    pendingCount: broken ? d.desiredCount : pending,
    platformFamily: d.launchType === 'FARGATE' ? 'Linux' : undefined,
    platformVersion: d.launchType === 'FARGATE' ? '1.4.0' : undefined,
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
    runningCount: running,
    status: d.status,
    taskDefinition: d.taskDefinition.arn,
    updatedAt: epoch(d.updatedAt),
  })
}

/**
 * A CODE_DEPLOY/EXTERNAL service shows its tasks as task sets, not deployments (blue/green
 * is CodeDeploy's business); the emulator keeps one PRIMARY task set per such service.
 */
function taskSetShape(a: Account, s: ServiceRecord, d: DeploymentRecord, now: number) {
  const {pending, running} = a.counts(s, d, now)
  const id = `ecs-svc/${d.id.slice('ecs-svc/'.length)}`
  return clean({
    clusterArn: s.cluster.arn,
    computedDesiredCount: d.desiredCount,
    createdAt: epoch(d.createdAt),
    externalId: s.deploymentController === 'CODE_DEPLOY' ? `d-${d.id.slice(-9)}` : undefined,
    id,
    launchType: d.launchType,
    networkConfiguration: s.networkConfiguration,
    pendingCount: pending,
    platformFamily: d.launchType === 'FARGATE' ? 'Linux' : undefined,
    platformVersion: d.launchType === 'FARGATE' ? '1.4.0' : undefined,
    runningCount: running,
    scale: {unit: 'PERCENT', value: 100},
    serviceArn: s.arn,
    stabilityStatus: running === d.desiredCount ? 'STEADY_STATE' : 'STABILIZING',
    stabilityStatusAt: epoch(d.updatedAt),
    startedBy: s.deploymentController === 'CODE_DEPLOY' ? 'CodeDeploy' : undefined,
    status: d.status,
    taskDefinition: d.taskDefinition.arn,
    taskSetArn: a.arn(`task-set/${s.cluster.name}/${s.name}/${id}`),
    updatedAt: epoch(d.updatedAt),
  })
}

export function serviceShape(a: Account, s: ServiceRecord, includeTags: boolean, now: number) {
  const rolling = s.deploymentController === 'ECS'
  const live = s.status === 'INACTIVE' ? [] : s.deployments
  const deployments = rolling ? live.map((d) => deploymentShape(a, s, d, now)) : []
  const taskSets = rolling ? undefined : live.map((d) => taskSetShape(a, s, d, now))
  const counted = rolling ? deployments : (taskSets ?? [])
  const primary = s.deployments[0]
  const current = s.serviceDeployments.at(-1)
  return clean({
    clusterArn: s.cluster.arn,
    createdAt: epoch(s.createdAt),
    createdBy: s.createdBy,
    currentServiceDeployment: current?.arn,
    currentServiceRevisions: s.deployments.map((d) => {
      const c = a.counts(s, d, now)
      return {arn: d.serviceRevisionArn, pendingTaskCount: c.pending, requestedTaskCount: d.desiredCount, runningTaskCount: c.running}
    }),
    deploymentConfiguration: {
      deploymentCircuitBreaker: {enable: s.circuitBreaker.enable, rollback: s.circuitBreaker.rollback},
      maximumPercent: s.maximumPercent,
      minimumHealthyPercent: s.minimumHealthyPercent,
    },
    deploymentController: {type: s.deploymentController},
    deployments,
    desiredCount: s.desiredCount,
    enableECSManagedTags: false,
    enableExecuteCommand: s.enableExecuteCommand,
    events: s.events.map((e) => ({createdAt: epoch(e.createdAt), id: e.id, message: e.message})),
    launchType: s.launchType,
    loadBalancers: [],
    networkConfiguration: s.networkConfiguration,
    pendingCount: counted.reduce((n, d) => n + (d.pendingCount ?? 0), 0),
    placementConstraints: [],
    placementStrategy: [],
    platformFamily: s.launchType === 'FARGATE' ? 'Linux' : undefined,
    platformVersion: s.launchType === 'FARGATE' ? 'LATEST' : undefined,
    propagateTags: 'NONE',
    runningCount: counted.reduce((n, d) => n + (d.runningCount ?? 0), 0),
    schedulingStrategy: s.schedulingStrategy,
    serviceArn: s.arn,
    serviceName: s.name,
    serviceRegistries: [],
    status: s.status,
    tags: includeTags ? s.tags : undefined,
    taskDefinition: primary?.taskDefinition.arn,
    taskSets,
  })
}

export function serviceDeploymentBrief(s: ServiceRecord, sd: ServiceDeploymentRecord) {
  return clean({
    clusterArn: s.cluster.arn,
    createdAt: epoch(sd.createdAt),
    finishedAt: epoch(sd.finishedAt),
    serviceArn: s.arn,
    serviceDeploymentArn: sd.arn,
    startedAt: epoch(sd.startedAt),
    status: sd.status,
    statusReason: sd.statusReason,
    targetServiceRevisionArn: sd.targetRevisionArn,
  })
}

export function serviceDeploymentShape(a: Account, s: ServiceRecord, sd: ServiceDeploymentRecord, now: number) {
  const revisionCounts = (arn: string) => {
    const d = s.deployments.find((x) => x.serviceRevisionArn === arn)
    const c = d ? a.counts(s, d, now) : {pending: 0, running: 0}
    return {arn, pendingTaskCount: c.pending, requestedTaskCount: d?.desiredCount ?? 0, runningTaskCount: c.running}
  }

  return clean({
    clusterArn: s.cluster.arn,
    createdAt: epoch(sd.createdAt),
    deploymentCircuitBreaker: sd.circuitBreaker,
    deploymentConfiguration: {
      deploymentCircuitBreaker: {enable: s.circuitBreaker.enable, rollback: s.circuitBreaker.rollback},
      maximumPercent: s.maximumPercent,
      minimumHealthyPercent: s.minimumHealthyPercent,
    },
    finishedAt: epoch(sd.finishedAt),
    rollback: sd.rollback
      ? {reason: sd.rollback.reason, serviceRevisionArn: sd.rollback.serviceRevisionArn, startedAt: epoch(sd.rollback.startedAt)}
      : undefined,
    serviceArn: s.arn,
    serviceDeploymentArn: sd.arn,
    sourceServiceRevisions: sd.sourceRevisionArns.map((arn) => revisionCounts(arn)),
    startedAt: epoch(sd.startedAt),
    status: sd.status,
    statusReason: sd.statusReason,
    stoppedAt: epoch(sd.stoppedAt),
    targetServiceRevision: revisionCounts(sd.targetRevisionArn),
    updatedAt: epoch(sd.updatedAt),
  })
}

export function serviceRevisionShape(s: ServiceRecord, r: ServiceRevisionRecord) {
  return clean({
    clusterArn: s.cluster.arn,
    containerImages: (r.taskDefinition.body.containerDefinitions as {name?: string; image?: string}[] | undefined)?.map((c) => ({
      containerName: c.name,
      image: c.image,
    })),
    createdAt: epoch(r.createdAt),
    launchType: r.launchType,
    networkConfiguration: s.networkConfiguration,
    serviceArn: s.arn,
    serviceRevisionArn: r.arn,
    taskDefinition: r.taskDefinition.arn,
  })
}

export const tagsOut = (tags: Tag[]) => tags.map((t) => ({key: t.key, value: t.value}))
