/** The emulator's in-memory account: plain records, projected to AWS shapes by operations/. */

export type Tag = {key: string; value: string}
export type TaskDefinitionStatus = 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS'

export interface TaskDefinitionRecord {
  family: string
  revision: number
  arn: string
  status: TaskDefinitionStatus
  /** What was registered (containerDefinitions, cpu, memory, roles...), as the caller sent it. */
  body: Record<string, unknown>
  registeredAt: number
  registeredBy: string
  deregisteredAt?: number
  deleteRequestedAt?: number
  tags: Tag[]
  /** Scenario/test switch: tasks of this revision never become healthy. */
  broken: boolean
}

export interface FamilyRecord {
  name: string
  /** Highest revision number ever used: numbers only grow, even after deletes. */
  lastRevision: number
  revisions: Map<number, TaskDefinitionRecord>
}

export interface ContainerRecord {
  name: string
  image: string
  containerArn: string
  runtimeId: string
  cpu?: number
  memory?: number
  essential: boolean
  /** Set when the container's process exited (Emulator#exitContainer): when, and with which code. */
  exitedAt?: number
  exitCode?: number
}

export type ExecAgentState = 'RUNNING' | 'STOPPED'

export interface TaskRecord {
  id: string
  arn: string
  cluster: ClusterRecord
  taskDefinition: TaskDefinitionRecord
  group: string
  startedBy?: string
  /** The service deployment this task belongs to, if any. */
  deploymentId?: string
  serviceName?: string
  launchType: string
  enableExecuteCommand: boolean
  execAgent: ExecAgentState
  containers: ContainerRecord[]
  createdAt: number
  /** When it reaches RUNNING (or, for a broken revision, fails). */
  runningAt: number
  /** Set when a stop is requested or scheduled; desiredStatus is STOPPED from then on. */
  stoppingAt?: number
  stoppedAt?: number
  stoppedReason?: string
  stopCode?: string
  tags: Tag[]
  cpu?: string
  memory?: string
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED'

/** An entry of service.deployments[] (the classic view). */
export interface DeploymentRecord {
  id: string
  status: 'PRIMARY' | 'ACTIVE'
  taskDefinition: TaskDefinitionRecord
  desiredCount: number
  runningCount: number
  pendingCount: number
  failedTasks: number
  createdAt: number
  updatedAt: number
  launchType: string
  rolloutState: RolloutState
  rolloutStateReason: string
  serviceRevisionArn: string
  /** The service deployment record (ListServiceDeployments) this deployment serves. */
  serviceDeployment: ServiceDeploymentRecord
  /** True for the deployment the circuit breaker started to go back. */
  isRollback: boolean
  /** Lifecycle bookkeeping: tasks launched (healthy) / failed batches launched (broken). */
  launched: boolean
  failedBatches: number
}

/** ECS's ServiceDeploymentStatus values (ListServiceDeployments' `status` filter takes only these). */
export const SERVICE_DEPLOYMENT_STATUSES = [
  'PENDING',
  'SUCCESSFUL',
  'STOPPED',
  'STOP_REQUESTED',
  'IN_PROGRESS',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
] as const

export type ServiceDeploymentStatus = (typeof SERVICE_DEPLOYMENT_STATUSES)[number]

/** A record of the newer ListServiceDeployments / DescribeServiceDeployments API. */
export interface ServiceDeploymentRecord {
  id: string
  arn: string
  createdAt: number
  startedAt: number
  updatedAt: number
  finishedAt?: number
  stoppedAt?: number
  status: ServiceDeploymentStatus
  statusReason?: string
  sourceRevisionArns: string[]
  targetRevisionArn: string
  rollback?: {reason: string; startedAt: number; serviceRevisionArn: string}
  circuitBreaker?: {status: 'MONITORING' | 'TRIGGERED'; failureCount: number; threshold: number}
}

export interface ServiceRevisionRecord {
  arn: string
  taskDefinition: TaskDefinitionRecord
  launchType: string
  createdAt: number
}

export interface ServiceEventRecord {
  id: string
  createdAt: number
  message: string
}

export interface ServiceRecord {
  name: string
  arn: string
  cluster: ClusterRecord
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE'
  desiredCount: number
  launchType: string
  deploymentController: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL'
  enableExecuteCommand: boolean
  /** Exec agent state given to this service's new tasks (scenario switch). */
  execAgent: ExecAgentState
  circuitBreaker: {enable: boolean; rollback: boolean}
  maximumPercent: number
  minimumHealthyPercent: number
  deployments: DeploymentRecord[]
  serviceDeployments: ServiceDeploymentRecord[]
  revisions: Map<string, ServiceRevisionRecord>
  /** Every task this service ever started (stopped ones are pruned after an hour, like ECS). */
  tasks: Map<string, TaskRecord>
  events: ServiceEventRecord[]
  createdAt: number
  createdBy: string
  schedulingStrategy: 'REPLICA' | 'DAEMON'
  tags: Tag[]
  networkConfiguration?: unknown
}

/** CreateCluster's `configuration`: what exec sessions use of it. */
export interface ClusterConfiguration {
  /** kmsKeyId: exec sessions of the cluster's tasks are KMS-encrypted with this key. */
  executeCommandConfiguration?: {kmsKeyId?: string; logging?: string; logConfiguration?: unknown}
}

export interface ClusterRecord {
  name: string
  arn: string
  status: 'ACTIVE' | 'INACTIVE'
  tags: Tag[]
  configuration?: ClusterConfiguration
  services: Map<string, ServiceRecord>
  tasks: Map<string, TaskRecord>
  createdAt: number
}

export interface RuleTargetRecord {
  Id: string
  Arn: string
  RoleArn?: string
  EcsParameters?: Record<string, unknown>
  Input?: string
}

export interface RuleRecord {
  name: string
  arn: string
  eventBusName: string
  scheduleExpression?: string
  eventPattern?: string
  state: 'ENABLED' | 'DISABLED'
  description?: string
  targets: RuleTargetRecord[]
}

export interface ExecSessionRecord {
  sessionId: string
  tokenValue: string
  streamUrl: string
  clusterName: string
  taskId: string
  taskArn: string
  containerName: string
  runtimeId: string
  /** `ecs:<cluster>_<taskId>_<runtimeId>`, the Session Manager target. */
  target: string
  command: string
  createdAt: number
  terminated: boolean
}
