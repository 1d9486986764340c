import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {addRule} from '../operations/events.js'
import {type Account, TIMING} from '../state/account.js'
import type {ClusterConfiguration, ExecAgentState, ServiceRecord, Tag, TaskDefinitionRecord} from '../state/model.js'

/** Revision numbers: "1-540,560" or [1, 2, 3]. */
export type RangeSpec = string | number[]

export interface FamilySpec {
  family: string
  /** Revisions 1..N are registered (numbers never reused). */
  revisions: number
  /** Deregistered revisions (INACTIVE). */
  inactive?: RangeSpec
  /**
   * Revisions deleted (DeleteTaskDefinitions): gone for good unless a service or a running
   * task still uses one, which then stays DELETE_IN_PROGRESS. Their numbers stay used.
   */
  deleted?: RangeSpec
  /** Revisions whose tasks never start: a deployment of one trips the circuit breaker. */
  broken?: RangeSpec
  /**
   * Container definitions, AWS shape; strings may hold {family} {revision} {registry}
   * {account} {region}. Default: one "app" container with an ECR image tagged 1.{revision}.0.
   */
  containers?: Record<string, unknown>[]
  /** Other RegisterTaskDefinition members (cpu, memory, networkMode, taskRoleArn...). */
  properties?: Record<string, unknown>
  tags?: Tag[]
  /** Hours between two registrations, counted back from now (default 24). */
  everyHours?: number
}

export interface ServiceSpec {
  name: string
  /** family:revision the service runs now. */
  taskDefinition: string
  /** Earlier revisions deployed before it, oldest first (deployment history). */
  history?: string[]
  desiredCount?: number
  launchType?: 'FARGATE' | 'EC2'
  deploymentController?: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL'
  /** Default true. */
  enableExecuteCommand?: boolean
  /** State of the exec agent in this service's tasks (default RUNNING). */
  execAgent?: ExecAgentState
  /** Default {enable: true, rollback: true}. */
  circuitBreaker?: {enable: boolean; rollback: boolean}
  tags?: Tag[]
}

export interface TaskSpec {
  taskDefinition: string
  count?: number
  startedBy?: string
  group?: string
  enableExecuteCommand?: boolean
  execAgent?: ExecAgentState
}

export interface ClusterSpec {
  name: string
  tags?: Tag[]
  /** As CreateCluster takes it; executeCommandConfiguration.kmsKeyId makes exec sessions KMS-encrypted. */
  configuration?: ClusterConfiguration
  services?: ServiceSpec[]
  /** Standalone tasks, running when the scenario starts. */
  tasks?: TaskSpec[]
}

export interface RuleSpec {
  name: string
  scheduleExpression?: string
  eventPattern?: string
  state?: 'ENABLED' | 'DISABLED'
  description?: string
  eventBusName?: string
  /** ECS targets: a family alone means "latest ACTIVE revision" when the rule fires. */
  targets: {id: string; cluster: string; taskDefinition: string; taskCount?: number; launchType?: string}[]
}

/** A compact description of a big account, expanded in code (fast to load, tiny to store). */
export interface GenerateSpec {
  clusters: number
  servicesPerCluster: number
  families: number
  revisionsPerFamily: number
  /** How many of the newest revisions of each family stay ACTIVE (default 10). */
  activeRevisions?: number
  tasksPerService: number
  standaloneTasksPerCluster?: number
}

export interface Scenario {
  name?: string
  description?: string
  families?: FamilySpec[]
  clusters?: ClusterSpec[]
  rules?: RuleSpec[]
  generate?: GenerateSpec
}

const HERE = dirname(fileURLToPath(import.meta.url))

/** A scenario by name (a JSON file in this folder), a path to a JSON file, or an object. */
export function resolveScenario(scenario: string | Scenario | undefined): Scenario {
  if (scenario === undefined) return {}
  if (typeof scenario !== 'string') return scenario
  const file = scenario.endsWith('.json') ? scenario : join(HERE, `${scenario}.json`)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new Error(`Unknown scenario "${scenario}": no file ${file}`)
  }

  return JSON.parse(text) as Scenario
}

export function parseRange(spec: RangeSpec | undefined): Set<number> {
  const out = new Set<number>()
  if (spec === undefined) return out
  if (Array.isArray(spec)) {
    for (const n of spec) out.add(n)
    return out
  }

  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part)
    if (!m) throw new Error(`Bad revision range "${part}"`)
    const lo = Number(m[1])
    const hi = Number(m[2] ?? m[1])
    for (let n = lo; n <= hi; n++) out.add(n)
  }

  return out
}

function substitute(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replaceAll(/\{(\w+)\}/g, (all, k: string) => vars[k] ?? all)
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, vars)
    return out
  }

  return value
}

const DEFAULT_CONTAINERS = [
  {
    cpu: 256,
    environment: [
      {name: 'RELEASE', value: '{revision}'},
      {name: 'LOG_LEVEL', value: 'info'},
    ],
    essential: true,
    image: '{registry}/{family}:1.{revision}.0',
    logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/{family}', 'awslogs-region': '{region}', 'awslogs-stream-prefix': 'ecs'}},
    memory: 512,
    name: 'app',
    portMappings: [{containerPort: 8080, protocol: 'tcp'}],
  },
]

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Fills the account from a scenario. Everything is created "in the past", settled. */
export function loadScenario(account: Account, input: string | Scenario | undefined): Scenario {
  const scenario = expand(resolveScenario(input))
  const now = account.now()
  const vars = {account: account.accountId, region: account.region, registry: `${account.accountId}.dkr.ecr.${account.region}.amazonaws.com`}

  for (const spec of scenario.families ?? []) loadFamily(account, spec, vars, now)
  const unusedDeleted: TaskDefinitionRecord[] = []
  for (const spec of scenario.families ?? []) {
    for (const n of parseRange(spec.deleted)) {
      const td = account.families.get(spec.family)?.revisions.get(n)
      if (td) unusedDeleted.push(td)
    }
  }

  for (const c of scenario.clusters ?? []) {
    const cluster = account.createCluster(c.name, c.tags ?? [], now - 400 * DAY, c.configuration)
    for (const spec of c.services ?? []) loadService(account, cluster.name, spec, now)
    for (const spec of c.tasks ?? []) {
      const td = account.findTaskDefinition(spec.taskDefinition)
      if (!td) throw new Error(`Scenario task uses unknown task definition ${spec.taskDefinition}`)
      for (let i = 0; i < (spec.count ?? 1); i++) {
        account.createTask(cluster, td, {
          createdAt: now - HOUR - i * 60_000,
          enableExecuteCommand: spec.enableExecuteCommand ?? true,
          execAgent: spec.execAgent,
          group: spec.group,
          startedBy: spec.startedBy,
        })
      }
    }
  }

  for (const r of scenario.rules ?? []) {
    addRule(account, {
      description: r.description,
      eventBusName: r.eventBusName ?? 'default',
      eventPattern: r.eventPattern,
      name: r.name,
      scheduleExpression: r.scheduleExpression,
      state: r.state ?? 'ENABLED',
      targets: r.targets.map((t) => ({
        Arn: account.arn(`cluster/${t.cluster}`),
        EcsParameters: {
          LaunchType: t.launchType ?? 'FARGATE',
          TaskCount: t.taskCount ?? 1,
          TaskDefinitionArn: account.arn(`task-definition/${t.taskDefinition}`),
        },
        Id: t.id,
        RoleArn: `arn:aws:iam::${account.accountId}:role/ecsEventsRole`,
      })),
    })
  }

  // "deleted" revisions are gone once nothing uses them; a used one stays DELETE_IN_PROGRESS.
  for (const td of unusedDeleted) {
    td.status = 'DELETE_IN_PROGRESS'
    td.deleteRequestedAt = Math.min(now - HOUR, (td.deregisteredAt ?? td.registeredAt) + DAY)
  }

  account.reapDeleted(now)
  return scenario
}

function loadFamily(account: Account, spec: FamilySpec, vars: Record<string, string>, now: number): void {
  const inactive = parseRange(spec.inactive)
  const deleted = parseRange(spec.deleted)
  const broken = parseRange(spec.broken)
  const every = (spec.everyHours ?? 24) * HOUR
  // The template is substituted once per family; per revision only {revision} changes, as a
  // string replace plus JSON.parse (this keeps the large scenario quick to load).
  const template = JSON.stringify(
    substitute(
      {
        cpu: '256',
        executionRoleArn: `arn:aws:iam::${vars.account}:role/ecsTaskExecutionRole`,
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        ...spec.properties,
        containerDefinitions: spec.containers ?? DEFAULT_CONTAINERS,
      },
      {...vars, family: spec.family},
    ),
  )
  for (let rev = 1; rev <= spec.revisions; rev++) {
    const body = JSON.parse(template.replaceAll('{revision}', String(rev))) as Record<string, unknown>
    const registeredAt = now - (spec.revisions - rev + 1) * every
    const td = account.registerTaskDefinition(spec.family, body, {registeredAt, revision: rev, tags: spec.tags})
    td.broken = broken.has(rev)
    if (inactive.has(rev) || deleted.has(rev)) {
      td.status = 'INACTIVE'
      td.deregisteredAt = Math.min(now - HOUR, registeredAt + 7 * DAY)
    }
  }
}

function loadService(account: Account, clusterName: string, spec: ServiceSpec, now: number): ServiceRecord {
  const cluster = account.clusters.get(clusterName)
  if (!cluster) throw new Error(`no cluster ${clusterName}`)
  const refs = [...(spec.history ?? []), spec.taskDefinition]
  const tds = refs.map((ref) => {
    const td = account.findTaskDefinition(ref)
    if (!td) throw new Error(`Scenario service ${spec.name} uses unknown task definition ${ref}`)
    return td
  })
  const createdAt = Math.min(tds[0].registeredAt + HOUR, now - 2 * HOUR)
  const s: ServiceRecord = {
    arn: account.arn(`service/${cluster.name}/${spec.name}`),
    circuitBreaker: spec.circuitBreaker ?? {enable: true, rollback: true},
    cluster,
    createdAt,
    createdBy: `arn:aws:iam::${account.accountId}:role/deployer`,
    deploymentController: spec.deploymentController ?? 'ECS',
    deployments: [],
    desiredCount: spec.desiredCount ?? 1,
    enableExecuteCommand: spec.enableExecuteCommand ?? true,
    events: [],
    execAgent: spec.execAgent ?? 'RUNNING',
    launchType: spec.launchType ?? 'FARGATE',
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    name: spec.name,
    networkConfiguration: {
      awsvpcConfiguration: {assignPublicIp: 'DISABLED', securityGroups: ['sg-0123456789abcdef0'], subnets: ['subnet-0123456789abcdef0']},
    },
    revisions: new Map(),
    schedulingStrategy: 'REPLICA',
    serviceDeployments: [],
    status: 'ACTIVE',
    tags: spec.tags ?? [],
    tasks: new Map(),
  }
  cluster.services.set(spec.name, s)
  // Each deployment happened after its revision was registered, an hour apart at least.
  let at = createdAt
  for (const [i, td] of tds.entries()) {
    at = Math.max(at + HOUR, td.registeredAt + HOUR)
    if (i === tds.length - 1) at = Math.min(at, now - HOUR)
    for (const t of s.tasks.values()) account.stopTask(t, at, 'Scaling activity initiated by (deployment)', 'ServiceSchedulerInitiated')
    const d = account.startDeployment(s, td, at, {settled: true})
    s.deployments = [d]
    account.event(s, at + TIMING.steadyStateMs, `(service ${s.name}) has reached a steady state.`)
  }

  return s
}

/** Turns a `generate` block into plain families/clusters (kept cheap: no JSON round trip). */
function expand(s: Scenario): Scenario {
  const g = s.generate
  if (!g) return s
  const families: FamilySpec[] = [...(s.families ?? [])]
  const active = g.activeRevisions ?? 10
  for (let f = 0; f < g.families; f++) {
    const n = g.revisionsPerFamily
    families.push({
      everyHours: 6,
      family: `gen-family-${String(f).padStart(3, '0')}`,
      inactive: n > active ? `1-${n - active}` : undefined,
      revisions: n,
    })
  }

  const clusters: ClusterSpec[] = [...(s.clusters ?? [])]
  let k = 0
  for (let c = 0; c < g.clusters; c++) {
    const services: ServiceSpec[] = []
    for (let i = 0; i < g.servicesPerCluster; i++, k++) {
      const fam = families[k % families.length]
      services.push({
        desiredCount: g.tasksPerService,
        history: fam.revisions > 2 ? [`${fam.family}:${fam.revisions - 2}`] : undefined,
        name: `svc-${String(i).padStart(3, '0')}`,
        taskDefinition: `${fam.family}:${fam.revisions - (k % 3 === 0 ? 1 : 0)}`,
      })
    }

    const tasks: TaskSpec[] = []
    if (g.standaloneTasksPerCluster) {
      tasks.push({count: 1, startedBy: 'batch', taskDefinition: `${families[c % families.length].family}`})
      for (let i = 1; i < g.standaloneTasksPerCluster; i++) {
        tasks.push({startedBy: 'batch', taskDefinition: families[(c + i) % families.length].family})
      }
    }

    clusters.push({name: `gen-cluster-${String(c).padStart(2, '0')}`, services, tasks})
  }

  return {...s, clusters, families, generate: undefined}
}
