import type {Clock} from '../clock.js'
import type {
  ClusterConfiguration,
  ClusterRecord,
  ContainerRecord,
  DeploymentRecord,
  ExecAgentState,
  ExecSessionRecord,
  FamilyRecord,
  RuleRecord,
  ServiceDeploymentRecord,
  ServiceRecord,
  ServiceRevisionRecord,
  Tag,
  TaskDefinitionRecord,
  TaskRecord,
} from './model.js'

/**
 * Simulated durations (simulated milliseconds; the clock's time scale speeds them up).
 * Chosen to look like Fargate: a task takes ~15 s to start, a rolling deployment reaches
 * steady state ~30 s after it starts, a stopping task is gone ~10 s later.
 */
export const TIMING = {
  /** Tasks stay visible this long after they stop (ECS keeps them about an hour). */
  stoppedRetentionMs: 3_600_000,
  steadyStateMs: 30_000,
  taskStartMs: 15_000,
  taskStopMs: 10_000,
}

/** Small seeded PRNG (mulberry32) so ids are reproducible from run to run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

export type TaskStatus = 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'STOPPING' | 'STOPPED'

export interface AccountOptions {
  accountId: string
  region: string
  clock: Clock
  seed?: number
}

/** All state of one emulated account and region, plus the lazy lifecycle engine. */
export class Account {
  readonly accountId: string
  readonly region: string
  readonly clock: Clock
  readonly clusters = new Map<string, ClusterRecord>()
  readonly families = new Map<string, FamilyRecord>()
  readonly rules = new Map<string, RuleRecord>()
  /** EventBridge buses by name; `default` always exists, others come from scenarios or CreateEventBus. */
  readonly eventBuses = new Set<string>(['default'])
  readonly sessions = new Map<string, ExecSessionRecord>()
  /** Services with a deployment in progress: the only ones `settle` has to look at. */
  private readonly busy = new Set<ServiceRecord>()
  /** Deleted services whose tasks are still stopping (DRAINING until they are all STOPPED). */
  private readonly draining = new Set<ServiceRecord>()
  /** Standalone tasks still on their way to RUNNING or STOPPED (nothing to do for others). */
  private readonly random: () => number
  readonly callerArn: string
  readonly callerUserId = 'AIDAEMULATOREXAMPLE01'

  constructor(opts: AccountOptions) {
    this.accountId = opts.accountId
    this.region = opts.region
    this.clock = opts.clock
    this.random = rng(opts.seed ?? 42)
    this.callerArn = `arn:aws:iam::${this.accountId}:user/taskonaut-emulator`
  }

  now(): number {
    return this.clock.now()
  }

  // ---- ids and ARNs ----------------------------------------------------------------------

  hex(n: number): string {
    let s = ''
    while (s.length < n) s += Math.floor(this.random() * 0x1_0000_0000).toString(16).padStart(8, '0')
    return s.slice(0, n)
  }

  digits(n: number): string {
    let s = String(1 + Math.floor(this.random() * 9))
    while (s.length < n) s += Math.floor(this.random() * 10).toString()
    return s
  }

  uuid(): string {
    const h = this.hex(32)
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
  }

  arn(resource: string, service = 'ecs'): string {
    return `arn:aws:${service}:${this.region}:${this.accountId}:${resource}`
  }

  // ---- clusters ----------------------------------------------------------------------------

  createCluster(name: string, tags: Tag[] = [], createdAt = this.now(), configuration?: ClusterConfiguration): ClusterRecord {
    const existing = this.clusters.get(name)
    if (existing && existing.status === 'ACTIVE') return existing
    const cluster: ClusterRecord = {
      arn: this.arn(`cluster/${name}`),
      configuration,
      createdAt,
      name,
      services: new Map(),
      status: 'ACTIVE',
      tags,
      tasks: new Map(),
    }
    this.clusters.set(name, cluster)
    return cluster
  }

  /** A cluster by short name or ARN; undefined when unknown or deleted. */
  findCluster(ref: string | undefined): ClusterRecord | undefined {
    const name = clusterNameOf(ref ?? 'default')
    const cluster = this.clusters.get(name)
    if (!cluster || cluster.status !== 'ACTIVE') return undefined
    if (ref?.startsWith('arn:') && ref !== cluster.arn) return undefined
    return cluster
  }

  // ---- task definitions -------------------------------------------------------------------

  family(name: string): FamilyRecord {
    let f = this.families.get(name)
    if (!f) {
      f = {lastRevision: 0, name, revisions: new Map()}
      this.families.set(name, f)
    }

    return f
  }

  registerTaskDefinition(
    family: string,
    body: Record<string, unknown>,
    opts: {tags?: Tag[]; registeredAt?: number; revision?: number} = {},
  ): TaskDefinitionRecord {
    const f = this.family(family)
    const revision = opts.revision ?? f.lastRevision + 1
    if (revision <= f.lastRevision) throw new Error(`revision ${family}:${revision} would not grow`)
    f.lastRevision = revision
    const td: TaskDefinitionRecord = {
      arn: this.arn(`task-definition/${family}:${revision}`),
      body,
      broken: false,
      family,
      registeredAt: opts.registeredAt ?? this.now(),
      registeredBy: this.callerArn,
      revision,
      status: 'ACTIVE',
      tags: opts.tags ?? [],
    }
    f.revisions.set(revision, td)
    return td
  }

  /**
   * `family`, `family:rev` or a task definition ARN. A bare family means its latest ACTIVE
   * revision, as in ECS.
   */
  findTaskDefinition(ref: string): TaskDefinitionRecord | undefined {
    const parsed = parseTaskDefinitionRef(ref, this)
    if (!parsed) return undefined
    const f = this.families.get(parsed.family)
    if (!f) return undefined
    if (parsed.revision === undefined) {
      let latest: TaskDefinitionRecord | undefined
      for (const td of f.revisions.values()) {
        if (td.status === 'ACTIVE' && (!latest || td.revision > latest.revision)) latest = td
      }

      return latest
    }

    return f.revisions.get(parsed.revision)
  }

  /** Revisions a service deployment or a not-yet-stopped task still uses. */
  usedRevisions(now = this.now()): Set<TaskDefinitionRecord> {
    const used = new Set<TaskDefinitionRecord>()
    for (const c of this.clusters.values()) {
      for (const s of c.services.values()) {
        if (s.status !== 'INACTIVE') for (const d of s.deployments) used.add(d.taskDefinition)
      }

      for (const t of c.tasks.values()) {
        if (!used.has(t.taskDefinition) && this.taskStatus(t, now) !== 'STOPPED') used.add(t.taskDefinition)
      }
    }

    return used
  }

  /** DELETE_IN_PROGRESS revisions leave for good once nothing uses them. */
  reapDeleted(now = this.now()): void {
    const pending: TaskDefinitionRecord[] = []
    for (const f of this.families.values()) {
      for (const td of f.revisions.values()) if (td.status === 'DELETE_IN_PROGRESS') pending.push(td)
    }

    if (pending.length === 0) return
    const used = this.usedRevisions(now)
    for (const td of pending) if (!used.has(td)) this.families.get(td.family)?.revisions.delete(td.revision)
  }

  // ---- tasks ---------------------------------------------------------------------------------

  createTask(
    cluster: ClusterRecord,
    td: TaskDefinitionRecord,
    opts: {
      createdAt: number
      group?: string
      startedBy?: string
      service?: ServiceRecord
      deployment?: DeploymentRecord
      enableExecuteCommand: boolean
      execAgent?: ExecAgentState
      launchType?: string
      tags?: Tag[]
    },
  ): TaskRecord {
    const id = this.hex(32)
    const containers: ContainerRecord[] = containerDefinitionsOf(td).map((c) => ({
      containerArn: this.arn(`container/${cluster.name}/${id}/${this.uuid()}`),
      cpu: typeof c.cpu === 'number' ? c.cpu : undefined,
      essential: c.essential !== false,
      image: String(c.image ?? ''),
      memory: typeof c.memory === 'number' ? c.memory : undefined,
      name: String(c.name ?? 'app'),
      runtimeId: `${id}-${this.digits(10)}`,
    }))
    const runningAt = opts.createdAt + TIMING.taskStartMs
    const task: TaskRecord = {
      arn: this.arn(`task/${cluster.name}/${id}`),
      cluster,
      containers,
      cpu: td.body.cpu === undefined ? undefined : String(td.body.cpu),
      createdAt: opts.createdAt,
      deploymentId: opts.deployment?.id,
      enableExecuteCommand: opts.enableExecuteCommand,
      execAgent: opts.execAgent ?? 'RUNNING',
      group: opts.group ?? (opts.service ? `service:${opts.service.name}` : `family:${td.family}`),
      id,
      launchType: opts.launchType ?? 'FARGATE',
      memory: td.body.memory === undefined ? undefined : String(td.body.memory),
      runningAt,
      serviceName: opts.service?.name,
      startedBy: opts.startedBy ?? opts.deployment?.id,
      tags: opts.tags ?? [],
      taskDefinition: td,
    }
    if (td.broken) {
      // The essential container exits as soon as it starts: the task never reaches RUNNING.
      task.stoppingAt = runningAt
      task.stoppedAt = runningAt + 1000
      task.stoppedReason = 'Essential container in task exited'
      task.stopCode = 'EssentialContainerExited'
    }

    cluster.tasks.set(id, task)
    opts.service?.tasks.set(id, task)
    return task
  }

  taskStatus(t: TaskRecord, now = this.now()): TaskStatus {
    if (t.stoppedAt !== undefined && now >= t.stoppedAt) return 'STOPPED'
    if (t.stoppingAt !== undefined && now >= t.stoppingAt) return 'STOPPING'
    if (now >= t.runningAt) return 'RUNNING'
    if (now >= t.createdAt + TIMING.taskStartMs / 2) return 'PENDING'
    return 'PROVISIONING'
  }

  desiredStatus(t: TaskRecord, now = this.now()): 'RUNNING' | 'STOPPED' {
    return t.stoppingAt !== undefined && now >= t.stoppingAt ? 'STOPPED' : 'RUNNING'
  }

  /** Stopped long enough ago that ECS no longer shows it. */
  expired(t: TaskRecord, now = this.now()): boolean {
    return t.stoppedAt !== undefined && now >= t.stoppedAt + TIMING.stoppedRetentionMs
  }

  /**
   * A container's process exits, as ECS sees it: a non-essential one (an init or a sidecar that
   * finished) shows STOPPED with its exit code while the task runs on; an essential one stops
   * the task (EssentialContainerExited).
   */
  exitContainer(t: TaskRecord, name: string, exitCode: number, at: number): void {
    const container = t.containers.find((c) => c.name === name)
    if (!container) throw new Error(`exitContainer: task ${t.id} has no container ${name}`)
    if (this.taskStatus(t, at) !== 'RUNNING') throw new Error(`exitContainer: task ${t.id} is not RUNNING`)
    container.exitedAt = at
    container.exitCode = exitCode
    if (container.essential) this.stopTask(t, at, 'Essential container in task exited', 'EssentialContainerExited')
  }

  /** Whether a container's process has exited by `now` (exitContainer). */
  containerExited(c: ContainerRecord, now = this.now()): boolean {
    return c.exitedAt !== undefined && now >= c.exitedAt
  }

  stopTask(t: TaskRecord, at: number, reason: string, stopCode: string): void {
    if (t.stoppingAt !== undefined && t.stoppingAt <= at) return
    t.stoppingAt = at
    t.stoppedAt = at + TIMING.taskStopMs
    t.stoppedReason = reason
    t.stopCode = stopCode
  }

  findTask(cluster: ClusterRecord, ref: string): TaskRecord | undefined {
    const id = ref.startsWith('arn:') ? ref.split('/').at(-1) ?? '' : ref
    const t = cluster.tasks.get(id)
    if (!t || this.expired(t)) return undefined
    if (ref.startsWith('arn:') && ref !== t.arn) return undefined
    return t
  }

  // ---- services and deployments -------------------------------------------------------------

  findService(cluster: ClusterRecord, ref: string): ServiceRecord | undefined {
    const name = ref.startsWith('arn:') ? ref.split('/').at(-1) ?? '' : ref
    const s = cluster.services.get(name)
    if (!s) return undefined
    if (ref.startsWith('arn:') && ref !== s.arn && ref !== this.arn(`service/${name}`)) return undefined
    return s
  }

  serviceRevision(s: ServiceRecord, td: TaskDefinitionRecord, createdAt: number): ServiceRevisionRecord {
    const rev: ServiceRevisionRecord = {
      arn: this.arn(`service-revision/${s.cluster.name}/${s.name}/${this.digits(19)}`),
      createdAt,
      launchType: s.launchType,
      taskDefinition: td,
    }
    s.revisions.set(rev.arn, rev)
    return rev
  }

  /**
   * Starts a rolling deployment of `td` at simulated time `at`: the new deployment becomes
   * PRIMARY, earlier ones ACTIVE. With `settled`, it is created already COMPLETED with its
   * tasks RUNNING (scenario loading).
   */
  startDeployment(
    s: ServiceRecord,
    td: TaskDefinitionRecord,
    at: number,
    opts: {settled?: boolean; rollbackOf?: DeploymentRecord; rollbackTo?: DeploymentRecord} = {},
  ): DeploymentRecord {
    const sourceRevisionArns = s.deployments.map((d) => d.serviceRevisionArn)
    const revisionArn = opts.rollbackTo?.serviceRevisionArn ?? this.serviceRevision(s, td, at).arn
    let sd: ServiceDeploymentRecord
    if (opts.rollbackOf) {
      sd = opts.rollbackOf.serviceDeployment
    } else {
      const id = this.hex(20)
      sd = {
        arn: this.arn(`service-deployment/${s.cluster.name}/${s.name}/${id}`),
        circuitBreaker: s.circuitBreaker.enable ? {failureCount: 0, status: 'MONITORING', threshold: this.threshold(s)} : undefined,
        createdAt: at,
        id,
        sourceRevisionArns,
        startedAt: at,
        status: opts.settled ? 'SUCCESSFUL' : 'IN_PROGRESS',
        targetRevisionArn: revisionArn,
        updatedAt: at,
      }
      if (opts.settled) sd.finishedAt = at + TIMING.steadyStateMs
      // A deployment still in progress is stopped by a newer one.
      for (const older of s.serviceDeployments) {
        if (older.status === 'IN_PROGRESS' || older.status === 'PENDING') {
          older.status = 'STOPPED'
          older.statusReason = 'Service deployment stopped because a newer service deployment started.'
          older.stoppedAt = at
          older.updatedAt = at
        }
      }

      s.serviceDeployments.push(sd)
    }

    const d: DeploymentRecord = {
      createdAt: at,
      desiredCount: s.desiredCount,
      failedTasks: 0,
      failedBatches: 0,
      id: `ecs-svc/${this.digits(19)}`,
      isRollback: Boolean(opts.rollbackOf),
      launched: false,
      launchType: s.launchType,
      pendingCount: 0,
      rolloutState: opts.settled ? 'COMPLETED' : 'IN_PROGRESS',
      rolloutStateReason: '',
      runningCount: 0,
      serviceDeployment: sd,
      serviceRevisionArn: revisionArn,
      status: 'PRIMARY',
      taskDefinition: td,
      updatedAt: at,
    }
    d.rolloutStateReason = opts.settled ? `ECS deployment ${d.id} completed.` : `ECS deployment ${d.id} in progress.`
    for (const old of s.deployments) old.status = 'ACTIVE'
    s.deployments.unshift(d)
    if (opts.settled) {
      d.launched = true
      for (let i = 0; i < s.desiredCount; i++) this.launchServiceTask(s, d, at - TIMING.taskStartMs)
    } else {
      this.busy.add(s)
    }

    return d
  }

  /** ECS's default circuit breaker threshold: half the desired count, between 3 and 200. */
  threshold(s: ServiceRecord): number {
    return Math.min(200, Math.max(3, Math.ceil(s.desiredCount / 2)))
  }

  launchServiceTask(s: ServiceRecord, d: DeploymentRecord, createdAt: number): TaskRecord {
    return this.createTask(s.cluster, d.taskDefinition, {
      createdAt,
      deployment: d,
      enableExecuteCommand: s.enableExecuteCommand,
      execAgent: s.execAgent,
      launchType: s.launchType,
      service: s,
    })
  }

  /** Starts `n` tasks of a deployment at `at`, with the service event ECS writes. */
  launchBatch(s: ServiceRecord, d: DeploymentRecord, n: number, at: number): void {
    if (n <= 0) return
    const ids: string[] = []
    for (let i = 0; i < n; i++) ids.push(this.launchServiceTask(s, d, at).id)
    this.event(s, at, `(service ${s.name}) has started ${n} tasks: ${ids.map((id) => `(task ${id})`).join(' ')}.`)
  }

  event(s: ServiceRecord, at: number, message: string): void {
    s.events.unshift({createdAt: at, id: this.uuid(), message})
    if (s.events.length > 100) s.events.length = 100
  }

  /** Brings every service with a deployment in progress, or draining, up to simulated time `now`. */
  settle(now = this.now()): void {
    for (const s of this.busy) {
      this.settleService(s, now)
      const primary = s.deployments[0]
      if (!primary || primary.rolloutState !== 'IN_PROGRESS') this.busy.delete(s)
    }

    for (const s of this.draining) {
      if ([...s.tasks.values()].every((t) => this.taskStatus(t, now) === 'STOPPED')) {
        s.status = 'INACTIVE'
        this.draining.delete(s)
      }
    }
  }

  /**
   * DeleteService: the service is DRAINING until its tasks (already told to stop) are all
   * STOPPED, then INACTIVE. Its deployments end at once, so nothing new is launched.
   */
  drain(s: ServiceRecord): void {
    s.status = 'DRAINING'
    s.deployments = []
    this.busy.delete(s)
    this.draining.add(s)
  }

  private settleService(s: ServiceRecord, now: number): void {
    for (let guard = 0; guard < 10; guard++) {
      const d = s.deployments[0]
      if (!d || d.rolloutState !== 'IN_PROGRESS' || now < d.createdAt) return
      const sd = d.serviceDeployment
      if (d.taskDefinition.broken) {
        if (!this.settleBroken(s, d, sd, now)) return
        continue
      }

      if (!d.launched) {
        d.launched = true
        this.launchBatch(s, d, d.desiredCount, d.createdAt)
      }

      const doneAt = d.createdAt + TIMING.steadyStateMs
      if (now < doneAt) return
      const drained: string[] = []
      for (const t of s.tasks.values()) {
        if (t.deploymentId !== d.id && this.desiredStatus(t, doneAt) === 'RUNNING') {
          this.stopTask(t, doneAt, `Scaling activity initiated by (deployment ${d.id})`, 'ServiceSchedulerInitiated')
          drained.push(t.id)
        }
      }

      if (drained.length > 0) {
        this.event(s, doneAt, `(service ${s.name}) has stopped ${drained.length} running tasks: ${drained.map((id) => `(task ${id})`).join(' ')}.`)
      }

      s.deployments = [d]
      d.rolloutState = 'COMPLETED'
      d.rolloutStateReason = `ECS deployment ${d.id} completed.`
      d.updatedAt = doneAt
      sd.status = d.isRollback ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL'
      sd.finishedAt = doneAt
      sd.updatedAt = doneAt
      this.event(s, doneAt, `(service ${s.name}) (deployment ${d.id}) deployment completed.`)
      this.event(s, doneAt, `(service ${s.name}) has reached a steady state.`)
      return
    }
  }

  /**
   * A deployment of a broken revision: batches of tasks fail one after another until the
   * circuit breaker threshold, then the deployment FAILS and (with rollback on) a new PRIMARY
   * deployment of the last good revision starts. Returns true when it started a rollback.
   */
  private settleBroken(s: ServiceRecord, d: DeploymentRecord, sd: ServiceDeploymentRecord, now: number): boolean {
    const perBatch = Math.max(1, d.desiredCount)
    const threshold = this.threshold(s)
    const batches = Math.ceil(threshold / perBatch)
    while (d.createdAt + d.failedBatches * TIMING.taskStartMs <= now && (d.failedBatches < batches || !s.circuitBreaker.enable)) {
      const at = d.createdAt + d.failedBatches * TIMING.taskStartMs
      if (d.failedBatches >= batches + 20) break // without a breaker ECS retries forever; keep a bounded history
      this.launchBatch(s, d, perBatch, at)
      d.failedBatches++
    }

    d.failedTasks = Math.min(
      d.failedBatches * perBatch,
      Math.floor(Math.max(0, now - d.createdAt) / TIMING.taskStartMs) * perBatch,
    )
    // The breaker counts the failed tasks it saw, whole batches included, like failedTasks.
    if (sd.circuitBreaker) sd.circuitBreaker.failureCount = d.failedTasks
    const failAt = d.createdAt + batches * TIMING.taskStartMs
    if (!s.circuitBreaker.enable || now < failAt) return false
    d.failedTasks = Math.max(d.failedTasks, threshold)
    d.rolloutState = 'FAILED'
    d.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.'
    d.updatedAt = failAt
    if (sd.circuitBreaker) sd.circuitBreaker = {failureCount: d.failedTasks, status: 'TRIGGERED', threshold}
    this.event(s, failAt, `(service ${s.name}) (deployment ${d.id}) deployment failed: tasks failed to start.`)
    const previous = s.deployments.find((x) => x !== d && x.rolloutState === 'COMPLETED')
    if (s.circuitBreaker.rollback && previous) {
      const reason = 'Service deployment rolled back because the circuit breaker threshold was exceeded.'
      sd.status = 'ROLLBACK_IN_PROGRESS'
      sd.statusReason = reason
      sd.updatedAt = failAt
      sd.rollback = {reason, serviceRevisionArn: previous.serviceRevisionArn, startedAt: failAt}
      this.event(s, failAt, `(service ${s.name}) rolling back to deployment ${previous.id}.`)
      const rb = this.startDeployment(s, previous.taskDefinition, failAt, {rollbackOf: d, rollbackTo: previous})
      // The rollback re-uses the running tasks of the good revision: nothing new to start.
      rb.launched = true
      for (const t of s.tasks.values()) if (t.deploymentId === previous.id) t.deploymentId = rb.id
      s.deployments = s.deployments.filter((x) => x !== previous)
      return true
    }

    sd.status = 'STOPPED'
    sd.statusReason = 'Service deployment stopped because the circuit breaker threshold was exceeded.'
    sd.stoppedAt = failAt
    sd.updatedAt = failAt
    return false
  }

  /** Starts or stops tasks so a steady service runs `desiredCount` tasks. */
  scale(s: ServiceRecord, now: number): void {
    const d = s.deployments[0]
    if (!d) return
    d.desiredCount = s.desiredCount
    if (d.rolloutState !== 'COMPLETED') return
    const live = [...s.tasks.values()].filter((t) => t.deploymentId === d.id && this.desiredStatus(t, now) === 'RUNNING')
    if (live.length < s.desiredCount) this.launchBatch(s, d, s.desiredCount - live.length, now)
    const extra = live.slice(s.desiredCount)
    for (const t of extra) this.stopTask(t, now, 'Scaling activity initiated by (service)', 'ServiceSchedulerInitiated')
    if (extra.length > 0) this.event(s, now, `(service ${s.name}) has stopped ${extra.length} running tasks: ${extra.map((t) => `(task ${t.id})`).join(' ')}.`)
  }

  /** Running/pending counts of a deployment at `now`, from its tasks. */
  counts(s: ServiceRecord, d: DeploymentRecord, now: number): {running: number; pending: number} {
    let running = 0
    let pending = 0
    for (const t of s.tasks.values()) {
      if (t.deploymentId !== d.id) continue
      const st = this.taskStatus(t, now)
      if (st === 'RUNNING') running++
      else if (st === 'PENDING' || st === 'PROVISIONING') pending++
    }

    return {pending, running}
  }
}

// ---- parsing helpers --------------------------------------------------------------------------

export function clusterNameOf(ref: string): string {
  if (ref.startsWith('arn:')) return ref.split(':cluster/')[1] ?? ''
  return ref
}

export function parseTaskDefinitionRef(
  ref: string,
  where: {region: string; accountId: string},
): {family: string; revision?: number} | undefined {
  let rest = ref
  if (ref.startsWith('arn:')) {
    const prefix = `arn:aws:ecs:${where.region}:${where.accountId}:task-definition/`
    if (!ref.startsWith(prefix)) return undefined
    rest = ref.slice(prefix.length)
  }

  const [family, rev, extra] = rest.split(':')
  if (!family || extra !== undefined) return undefined
  if (rev === undefined) return {family}
  if (!/^\d+$/.test(rev)) return undefined
  return {family, revision: Number(rev)}
}

export function containerDefinitionsOf(td: TaskDefinitionRecord): Record<string, unknown>[] {
  const list = td.body.containerDefinitions
  return Array.isArray(list) ? (list as Record<string, unknown>[]) : []
}
