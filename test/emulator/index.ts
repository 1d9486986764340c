/**
 * The local ECS emulator: a real HTTP server on 127.0.0.1 speaking the AWS JSON 1.1 protocol
 * (ECS, EventBridge, SSM TerminateSession) and the Query protocol (STS GetCallerIdentity),
 * with in-memory state. See README.md in this folder for behaviour and decisions.
 */
import type {Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {Clock} from './clock.js'
import type {SessionFactory} from './operations/context.js'
import {AwsError} from './errors.js'
import {type Scenario, loadScenario} from './scenarios/load.js'
import {buildServer, type Faults, type LoggedRequest, type MountedService} from './server.js'
import {Account} from './state/account.js'
import type {ExecAgentState, ExecSessionRecord, TaskRecord} from './state/model.js'
import {Throttler} from './throttling.js'

export {AwsError} from './errors.js'
export type {SessionFactory, SessionRequest} from './operations/context.js'
export type {Scenario} from './scenarios/load.js'
export type {Faults, LoggedRequest, MountedService} from './server.js'
export {TIMING} from './state/account.js'
export {THROTTLE_CATEGORIES} from './throttling.js'

export interface EmulatorOptions {
  /** 0/undefined = a random free port on 127.0.0.1. */
  port?: number
  /** 'empty' (default) | 'demo' | 'large' | a path to a JSON file | a scenario object. */
  scenario?: string | Scenario
  /** Default false; true = AWS token buckets per category. */
  throttling?: boolean
  /** Default 1; every simulated clock (deployments, task start, bucket refill) runs this much faster. */
  timeScale?: number
  faults?: Faults
  accountId?: string
  region?: string
  /** Seed of the id generator (task ids, deployment ids...). Default 42. */
  seed?: number
  /** Keep each answer in the request log (default true; the bench turns it off). */
  logResponses?: boolean
  /**
   * Attach the Session Manager agent (test/emulator/agent): ExecuteCommand sessions then lead
   * to a real shell over the data channel, and KMS (TrentService.) and SSM are served by it.
   * A cluster's executeCommandConfiguration.kmsKeyId makes its sessions KMS-encrypted.
   */
  agent?: boolean | AgentSettings
}

export interface AgentSettings {
  /**
   * Send the command's exit code at the end of a session (default true: taskonaut's client
   * passes it through). session-manager-plugin prints that payload as text ("EXIT_CODE: 0"),
   * so turn it off when the real plugin is the client (like the real agent for interactive sessions).
   */
  sendExitCode?: boolean
  /** How long a session token stays valid before its first use (default 5 minutes; 0: refused at once, for tests). */
  tokenTtlMs?: number
}

export interface Emulator {
  /** 'http://127.0.0.1:PORT' */
  endpoint: string
  port: number
  /** So the Session Manager agent can attach 'upgrade' handlers. */
  server: Server
  requests: LoggedRequest[]
  calls(operation: string): LoggedRequest[]
  clearLog(): void
  setFaults(f: Faults | undefined): void
  setThrottling(on: boolean): void
  /** AWS_ENDPOINT_URL, AWS_REGION and dummy credentials pointing the SDK (and taskonaut) here. */
  env(): Record<string, string>
  stop(): Promise<void>

  /** Direct access to the state, for tests that seed or inspect without the API. */
  account: Account
  clock: Clock
  /** Brings deployments and tasks up to the current simulated time. */
  settle(): void
  /** Jumps simulated time forward (ms of simulated time) and settles. */
  advance(ms: number): void
  /** The operation (e.g. 'ListRules' or 'events:ListRules') answers AccessDeniedException until restored. */
  denyAccess(operation: string): () => void
  allowAccess(operation: string): void
  /** Tasks of this revision ('family:rev' or ARN) never start from now on. */
  breakRevision(ref: string): void
  /** Sets the exec agent of a task (id or ARN, in any cluster). */
  setExecAgent(task: string, state: ExecAgentState): void
  /**
   * The process of one container of a running task exits now: a non-essential container shows
   * STOPPED with the code while the task runs on; an essential one stops the task.
   */
  exitContainer(task: string, container: string, exitCode: number): void
  /** Exec sessions started by ExecuteCommand, by session id. */
  session(sessionId: string): ExecSessionRecord | undefined
  /** Mounts another JSON 1.1 service (e.g. KMS 'TrentService.') on the same endpoint. */
  mount(targetPrefix: string, service: MountedService): void
  /** Lets another component (the Session Manager agent) create ExecuteCommand's sessions. */
  setSessionFactory(factory: SessionFactory | undefined): void
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const clock = new Clock(opts.timeScale ?? 1)
  const account = new Account({
    accountId: opts.accountId ?? '123456789012',
    clock,
    region: opts.region ?? 'eu-west-1',
    seed: opts.seed,
  })
  loadScenario(account, opts.scenario ?? 'empty')
  const throttler = new Throttler(clock)
  const requests: LoggedRequest[] = []
  const control: {
    denied: Set<string>
    faults: Faults
    logResponses: boolean
    throttling: boolean
    sessionFactory?: SessionFactory
  } = {
    denied: new Set<string>(),
    faults: {...opts.faults},
    logResponses: opts.logResponses ?? true,
    throttling: opts.throttling ?? false,
  }
  const mounts = new Map<string, MountedService>()
  const {pending, server} = buildServer({account, control, log: requests, mounts, throttler})

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const endpoint = `http://127.0.0.1:${port}`

  const findTaskAnywhere = (ref: string): TaskRecord | undefined => {
    for (const c of account.clusters.values()) {
      const t = account.findTask(c, ref)
      if (t) return t
    }

    return undefined
  }

  const emulator: Emulator = {
    account,
    advance(ms) {
      clock.advance(ms)
      account.settle()
    },
    allowAccess(operation) {
      control.denied.delete(operation)
    },
    breakRevision(ref) {
      const td = account.findTaskDefinition(ref)
      if (!td) throw new Error(`breakRevision: no task definition ${ref}`)
      td.broken = true
    },
    calls: (operation) => requests.filter((r) => r.operation === operation),
    clearLog() {
      requests.length = 0
    },
    clock,
    denyAccess(operation) {
      control.denied.add(operation)
      return () => control.denied.delete(operation)
    },
    endpoint,
    env: () => ({
      AWS_ACCESS_KEY_ID: 'AKIAEMULATOREXAMPLE1',
      AWS_DEFAULT_REGION: account.region,
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: account.region,
      AWS_SECRET_ACCESS_KEY: 'emulator-secret-access-key',
    }),
    mount(prefix, service) {
      if (!prefix.endsWith('.')) throw new Error('a target prefix ends with "." (e.g. "TrentService.")')
      mounts.set(prefix, service)
    },
    port,
    requests,
    server,
    session: (id) => account.sessions.get(id),
    exitContainer(ref, name, exitCode) {
      const t = findTaskAnywhere(ref)
      if (!t) throw new Error(`exitContainer: no task ${ref}`)
      account.exitContainer(t, name, exitCode, clock.now())
    },
    setExecAgent(ref, state) {
      const t = findTaskAnywhere(ref)
      if (!t) throw new Error(`setExecAgent: no task ${ref}`)
      t.execAgent = state
    },
    setSessionFactory(factory) {
      control.sessionFactory = factory
    },
    setFaults(f) {
      control.faults = {...f}
    },
    setThrottling(on) {
      control.throttling = on
      throttler.reset()
    },
    settle() {
      account.settle()
    },
    async stop() {
      await detachAgent?.()
      for (const t of pending) clearTimeout(t)
      pending.clear()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
  let detachAgent: (() => Promise<void>) | undefined
  if (opts.agent) {
    try {
      detachAgent = await attachSessionAgent(emulator, opts.agent === true ? {} : opts.agent)
    } catch (error) {
      await emulator.stop()
      throw error
    }
  }

  return emulator
}

/**
 * Wires the Session Manager agent (owned by the exec/SSM work in test/emulator/agent) into
 * this emulator: its sessions back ExecuteCommand, its KMS and SSM answer on this endpoint.
 * Imported lazily so the emulator itself does not load ws or node-pty.
 */
async function attachSessionAgent(emulator: Emulator, settings: AgentSettings): Promise<() => Promise<void>> {
  const {FakeKms, agentAwsCall, attachAgent} = await import('./agent/index.js')
  const kms = new FakeKms()
  const agent = attachAgent(emulator.server, {kms, tokenTtlMs: settings.tokenTtlMs})
  const handle = (prefix: string) => (operation: string, params: Record<string, unknown>) => {
    const answer = agentAwsCall(`${prefix}${operation}`, params, {agent, kms})
    return answer ? {body: answer.body, status: answer.status} : undefined
  }

  emulator.mount('TrentService.', {handle: handle('TrentService.'), service: 'kms'})
  emulator.mount('AmazonSSM.', {handle: handle('AmazonSSM.'), service: 'ssm'})
  emulator.setSessionFactory(({command, kmsKeyId, sessionId, target}) =>
    agent.createSession({command, kmsKeyId, sendExitCode: settings.sendExitCode, sessionId, target}),
  )
  return () => agent.close()
}

// Re-exported so tests can build error answers for mounted services.
export const awsError = (type: string, message: string, status = 400) => new AwsError(type, message, status)
