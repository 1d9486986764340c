import type {ContainerDefinition, HealthCheck, PortMapping, TaskDefinition} from '@aws-sdk/client-ecs'

import {parseImage} from './image.js'

/**
 * What a rollback changes, from the revision running now (`from`) to the target (`to`).
 * Pure: two task definitions in, a structured diff out. It holds the rule that secret values
 * never appear (secrets are compared by name and `valueFrom` only), so it carries most tests.
 */

export type ChangeKind = 'added' | 'changed' | 'removed'

export interface Change {
  /** Stable machine name for --json: `memory`, `image.tag`, `environment.LOG_LEVEL`. */
  field: string
  /** What people read: `memory`, `image tag`, `env LOG_LEVEL`. */
  label: string
  kind: ChangeKind
  from?: string
  to?: string
}

export interface ContainerDiff {
  name: string
  status: 'added' | 'changed' | 'removed' | 'unchanged'
  /** For added and removed containers: the image they run. */
  image?: string
  changes: Change[]
  /**
   * For containers in both revisions: what was compared and found equal (`cpu`, `env (4)`,
   * `essential`...). Settings neither revision has are not listed: they were not compared.
   */
  unchanged: string[]
}

export interface RevisionInfo {
  arn?: string
  family?: string
  revision?: number
  registeredAt?: string
  status?: string
}

export interface TaskDefinitionDiff {
  from: RevisionInfo
  to: RevisionInfo
  task: Change[]
  containers: ContainerDiff[]
  /** Task settings equal in both (set in at least one), and the containers that are equal throughout. */
  unchanged: {containers: string[]; task: string[]}
  /** The unchanged parts in one line, e.g. "Unchanged: cpu, task role; container envoy; web: cpu, env (3)". */
  unchangedSummary: string
  /** Nothing compared differs (only the revision number and registration date). */
  identical: boolean
}

/** Names whose values we do not print even though they are plain environment variables. */
const SECRET_LOOKING = /pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|auth/i
export const HIDDEN = '(hidden)'

/** Task-level fields compared explicitly; the rest (except metadata) fall in "other". */
const TASK_FIELDS = new Set(['cpu', 'memory', 'taskRoleArn', 'executionRoleArn', 'networkMode', 'requiresCompatibilities', 'runtimePlatform'])
/** Set by ECS, not by whoever registered the revision: never a difference worth showing. */
const TASK_METADATA = new Set([
  'compatibilities',
  'containerDefinitions',
  'deregisteredAt',
  'family',
  'registeredAt',
  'registeredBy',
  'requiresAttributes',
  'revision',
  'status',
  'taskDefinitionArn',
])
const CONTAINER_FIELDS = new Set([
  'command',
  'cpu',
  'entryPoint',
  'environment',
  'essential',
  'healthCheck',
  'image',
  'memory',
  'memoryReservation',
  'name',
  'portMappings',
  'secrets',
])

export function diffTaskDefinitions(from: TaskDefinition, to: TaskDefinition): TaskDefinitionDiff {
  const task: Change[] = []
  const unchangedTask: string[] = []
  const field = (name: string, label: string, a: string | undefined, b: string | undefined) => {
    const change = compare(name, label, a, b)
    if (change) task.push(change)
    else if (a !== undefined) unchangedTask.push(label) // neither sets it: nothing was compared
  }

  field('cpu', 'cpu', from.cpu, to.cpu)
  field('memory', 'memory', from.memory, to.memory)
  field('taskRoleArn', 'task role', from.taskRoleArn, to.taskRoleArn)
  field('executionRoleArn', 'execution role', from.executionRoleArn, to.executionRoleArn)
  field('networkMode', 'network mode', from.networkMode, to.networkMode)
  field('requiresCompatibilities', 'compatibilities', list(from.requiresCompatibilities), list(to.requiresCompatibilities))
  field('runtimePlatform', 'runtime platform', platform(from), platform(to))
  const other = otherChanges(from, to, (k) => !TASK_FIELDS.has(k) && !TASK_METADATA.has(k))
  task.push(...other.changes)
  unchangedTask.push(...other.unchanged)

  const containers = diffContainers(from.containerDefinitions ?? [], to.containerDefinitions ?? [])
  const unchangedContainers = containers.filter((c) => c.status === 'unchanged').map((c) => c.name)
  const parts: string[] = []
  if (unchangedTask.length > 0) parts.push(unchangedTask.join(', '))
  if (unchangedContainers.length > 0) parts.push(`container${unchangedContainers.length === 1 ? '' : 's'} ${unchangedContainers.join(', ')}`)
  for (const c of containers) if (c.status === 'changed' && c.unchanged.length > 0) parts.push(`${c.name}: ${c.unchanged.join(', ')}`)

  return {
    containers,
    from: revisionInfo(from),
    identical: task.length === 0 && containers.every((c) => c.status === 'unchanged'),
    task,
    to: revisionInfo(to),
    unchanged: {containers: unchangedContainers, task: unchangedTask},
    unchangedSummary: parts.length > 0 ? `Unchanged: ${parts.join('; ')}` : '',
  }
}

function revisionInfo(td: TaskDefinition): RevisionInfo {
  return {
    arn: td.taskDefinitionArn,
    family: td.family,
    registeredAt: td.registeredAt ? new Date(td.registeredAt).toISOString() : undefined,
    revision: td.revision,
    status: td.status,
  }
}

/** Containers are matched by name; order follows the running revision, then the added ones. */
function diffContainers(from: ContainerDefinition[], to: ContainerDefinition[]): ContainerDiff[] {
  const out: ContainerDiff[] = []
  const targets = new Map(to.map((c) => [c.name ?? '', c]))
  const seen = new Set<string>()
  for (const current of from) {
    const name = current.name ?? ''
    seen.add(name)
    const target = targets.get(name)
    if (!target) {
      out.push({changes: [], image: current.image, name, status: 'removed', unchanged: []})
      continue
    }

    const {changes, unchanged} = compareContainers(current, target)
    out.push({changes, name, status: changes.length > 0 ? 'changed' : 'unchanged', unchanged})
  }

  for (const target of to) {
    const name = target.name ?? ''
    if (!seen.has(name)) out.push({changes: [], image: target.image, name, status: 'added', unchanged: []})
  }

  return out
}

/** The changes between two definitions of one container, and what was compared and found equal. */
function compareContainers(a: ContainerDefinition, b: ContainerDefinition): {changes: Change[]; unchanged: string[]} {
  const changes: Change[] = []
  const unchanged: string[] = []
  const one = (field: string, label: string, x: string | undefined, y: string | undefined) => {
    const change = compare(field, label, x, y)
    if (change) changes.push(change)
    else if (x !== undefined) unchanged.push(label)
  }

  /** A keyed collection (env, secrets, ports): its changes, and how many entries stayed the same. */
  const many = (label: string, found: Change[], size: number) => {
    changes.push(...found)
    const same = size - found.filter((c) => c.kind !== 'added').length
    if (same > 0) unchanged.push(found.length > 0 ? `${label} (${same} other${same === 1 ? '' : 's'})` : `${label} (${same})`)
  }

  const image = diffImage(a.image, b.image)
  changes.push(...image)
  if (image.length === 0) {
    if (a.image !== undefined) unchanged.push('image')
  } else if (!image.some((c) => c.field === 'image')) {
    // Split into parts: say which parts stayed (a new tag from the same repository, say).
    const x = parseImage(a.image!)
    const y = parseImage(b.image!)
    for (const part of ['registry', 'repository', 'tag', 'digest'] as const) {
      if (x[part] !== undefined && x[part] === y[part]) unchanged.push(`image ${part}`)
    }
  }
  one('cpu', 'cpu', num(a.cpu), num(b.cpu))
  one('memory', 'memory', num(a.memory), num(b.memory))
  one('memoryReservation', 'memory reservation', num(a.memoryReservation), num(b.memoryReservation))
  many('env', diffEnvironment(a.environment ?? [], b.environment ?? []), byName(a.environment ?? [], () => '').size)
  many('secrets', diffSecrets(a.secrets ?? [], b.secrets ?? []), byName(a.secrets ?? [], () => '').size)
  many('ports', diffPorts(a.portMappings ?? [], b.portMappings ?? []), new Set((a.portMappings ?? []).map(port)).size)
  one('command', 'command', argv(a.command), argv(b.command))
  one('entryPoint', 'entry point', argv(a.entryPoint), argv(b.entryPoint))
  // ECS treats a container without `essential` as essential.
  one('essential', 'essential', String(a.essential ?? true), String(b.essential ?? true))
  one('healthCheck', 'health check', healthCheck(a.healthCheck), healthCheck(b.healthCheck))
  const other = otherChanges(a, b, (k) => !CONTAINER_FIELDS.has(k))
  changes.push(...other.changes)
  unchanged.push(...other.unchanged)
  return {changes, unchanged}
}

export function diffImage(a: string | undefined, b: string | undefined): Change[] {
  if (a === b) return []
  const x = a === undefined ? undefined : parseImage(a)
  const y = b === undefined ? undefined : parseImage(b)
  if (!x?.valid || !y?.valid) {
    const change = compare('image', 'image', a, b)
    return change ? [change] : []
  }

  return [
    compare('image.registry', 'image registry', x.registry, y.registry),
    compare('image.repository', 'image repository', x.repository, y.repository),
    compare('image.tag', 'image tag', x.tag, y.tag),
    compare('image.digest', 'image digest', x.digest, y.digest),
  ].filter((c): c is Change => c !== undefined)
}

function diffEnvironment(a: {name?: string; value?: string}[], b: {name?: string; value?: string}[]): Change[] {
  const before = byName(a, (e) => e.value ?? '')
  const after = byName(b, (e) => e.value ?? '')
  return keyedChanges(before, after, (name) => ({field: `environment.${name}`, label: `env ${name}`}), (name, value) =>
    value !== undefined && SECRET_LOOKING.test(name) ? HIDDEN : value,
  )
}

/** Secrets by name and where they point (`valueFrom`); their values are never fetched. */
function diffSecrets(a: {name?: string; valueFrom?: string}[], b: {name?: string; valueFrom?: string}[]): Change[] {
  const before = byName(a, (s) => s.valueFrom ?? '')
  const after = byName(b, (s) => s.valueFrom ?? '')
  return keyedChanges(before, after, (name) => ({field: `secrets.${name}`, label: `secret ${name}`}))
}

function diffPorts(a: PortMapping[], b: PortMapping[]): Change[] {
  const before = a.map(port)
  const after = b.map(port)
  const changes: Change[] = []
  for (const p of before) if (!after.includes(p)) changes.push({field: 'portMappings', from: p, kind: 'removed', label: 'port'})
  for (const p of after) if (!before.includes(p)) changes.push({field: 'portMappings', kind: 'added', label: 'port', to: p})
  return changes
}

/** `8080:80/tcp (http, http2)`: host port only when set and different from the container port. */
export function port(p: PortMapping): string {
  const host = p.hostPort !== undefined && p.hostPort !== 0 && p.hostPort !== p.containerPort ? `${p.hostPort}:` : ''
  const range = p.containerPortRange ? p.containerPortRange : String(p.containerPort ?? '')
  const extra = [p.name, p.appProtocol].filter(Boolean).join(', ')
  return `${host}${range}/${p.protocol ?? 'tcp'}${extra ? ` (${extra})` : ''}`
}

export function healthCheck(h: HealthCheck | undefined): string | undefined {
  if (!h) return undefined
  const timing = [
    `every ${h.interval ?? 30}s`,
    `timeout ${h.timeout ?? 5}s`,
    `${h.retries ?? 3} retries`,
    `start period ${h.startPeriod ?? 0}s`,
  ].join(', ')
  return `${argv(h.command) ?? ''} (${timing})`
}

/** A command line as people would type it: words quoted only when they need it. */
export function argv(words: string[] | undefined): string | undefined {
  if (!words) return undefined
  return words.map((w) => (w === '' || /[\s"'\\$`]/.test(w) ? JSON.stringify(w) : w)).join(' ')
}

function compare(field: string, label: string, from: string | undefined, to: string | undefined): Change | undefined {
  if (from === to) return undefined
  if (from === undefined) return {field, kind: 'added', label, to}
  if (to === undefined) return {field, from, kind: 'removed', label}
  return {field, from, kind: 'changed', label, to}
}

function keyedChanges(
  before: Map<string, string>,
  after: Map<string, string>,
  names: (key: string) => {field: string; label: string},
  shown: (key: string, value: string | undefined) => string | undefined = (_k, v) => v,
): Change[] {
  const changes: Change[] = []
  for (const [key, value] of before) {
    const {field, label} = names(key)
    if (!after.has(key)) changes.push({field, from: shown(key, value), kind: 'removed', label})
    else if (after.get(key) !== value) changes.push({field, from: shown(key, value), kind: 'changed', label, to: shown(key, after.get(key))})
  }

  for (const [key, value] of after) {
    const {field, label} = names(key)
    if (!before.has(key)) changes.push({field, kind: 'added', label, to: shown(key, value)})
  }

  return changes
}

/** Name → value; a name given twice keeps its last value, as the container would see it. */
function byName<T extends {name?: string}>(items: T[], value: (item: T) => string): Map<string, string> {
  return new Map(items.map((item) => [item.name ?? '', value(item)]))
}

/**
 * Everything outside the listed fields, compared as data so that no difference goes unseen
 * (log configuration, mount points, volumes...). Shown compactly. ECS keeps secrets in
 * `secrets` and `secretOptions`, but nothing stops a plaintext token in a log driver option
 * (`splunk-token`) or a docker label: values under secret-looking keys are compared, then
 * shown as (hidden).
 */
function otherChanges(a: object, b: object, include: (key: string) => boolean): {changes: Change[]; unchanged: string[]} {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(include).sort()
  const changes: Change[] = []
  const unchanged: string[] = []
  for (const key of keys) {
    const x = (a as Record<string, unknown>)[key]
    const y = (b as Record<string, unknown>)[key]
    const before = isEmpty(x) ? undefined : stable(x)
    const change = compare(key, key, before, isEmpty(y) ? undefined : stable(y))
    if (change) changes.push({...change, from: isEmpty(x) ? undefined : stable(masked(x)), to: isEmpty(y) ? undefined : stable(masked(y))})
    else if (before !== undefined) unchanged.push(key)
  }

  return {changes, unchanged}
}

/** A copy with the values of secret-looking keys replaced by (hidden), at any depth. */
function masked(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(masked)
  if (!value || typeof value !== 'object' || value instanceof Date) return value
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_LOOKING.test(k) && (typeof v !== 'object' || v === null) ? HIDDEN : masked(v)]),
  )
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0)
}

/** JSON with sorted keys, so two equal objects written in another order compare equal. */
export function stable(value: unknown): string {
  if (typeof value === 'string') return value
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v).sort(([p], [q]) => p.localeCompare(q)))
      : v,
  )
}

function num(n: number | undefined): string | undefined {
  return n === undefined ? undefined : String(n)
}

function list(items: string[] | undefined): string | undefined {
  return items && items.length > 0 ? [...items].sort().join(', ') : undefined
}

function platform(td: TaskDefinition): string | undefined {
  const p = td.runtimePlatform
  if (!p || (!p.operatingSystemFamily && !p.cpuArchitecture)) return undefined
  return [p.operatingSystemFamily ?? '?', p.cpuArchitecture ?? '?'].join('/')
}
