import {randomUUID} from 'node:crypto'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'

import {AwsError, serialization} from './errors.js'
import type {Operation, SessionFactory} from './operations/context.js'
import {clusterOperations} from './operations/clusters.js'
import {eventOperations} from './operations/events.js'
import {serviceOperations} from './operations/services.js'
import {ssmOperations} from './operations/ssm.js'
import {stsAnswer, stsError} from './operations/sts.js'
import {taskDefinitionOperations} from './operations/task-definitions.js'
import {tagOperations} from './operations/tags.js'
import {taskOperations} from './operations/tasks.js'
import type {Params} from './params.js'
import type {Account} from './state/account.js'
import type {Throttler} from './throttling.js'

export interface LoggedRequest {
  service: 'ecs' | 'sts' | 'events' | 'ssm' | 'kms' | string
  operation: string
  params: unknown
  status: number
  errorType?: string
  /** The answer sent (success or error body), for tests that check what the CLI saw; kept for the last 1,000 calls. */
  response?: unknown
  /** Real epoch milliseconds when the request arrived. */
  at: number
}

export interface Faults {
  /** 0..1: fraction of JSON requests answered with a 5xx server error. */
  serverErrorRate?: number
  /** Real milliseconds added before every answer. */
  latencyMs?: number
}

/**
 * A service mounted on the endpoint, chosen by its X-Amz-Target prefix: either operations
 * that return an answer (or throw AwsError), or a raw `handle` that returns {status, body}
 * (undefined = unknown operation).
 */
export interface MountedService {
  service: string
  operations?: Record<string, (params: Params) => unknown>
  handle?: (operation: string, params: Params) => {status: number; body: unknown} | undefined
}

/** A raw answer from a mounted `handle`, passed through as it is. */
class RawAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

const ECS_PREFIX = 'AmazonEC2ContainerServiceV20141113.'
const RESPONSES_KEPT = 1000
const JSON_TYPE = 'application/x-amz-json-1.1'

const ecsOperations: Record<string, Operation> = {
  ...clusterOperations,
  ...taskDefinitionOperations,
  ...serviceOperations,
  ...taskOperations,
  ...tagOperations,
}

/** The error name each service uses for an internal failure. */
const SERVER_ERROR: Record<string, string> = {ecs: 'ServerException', events: 'InternalException', kms: 'KMSInternalException', ssm: 'InternalServerError'}

export interface ServerOptions {
  account: Account
  throttler: Throttler
  log: LoggedRequest[]
  control: {faults: Faults; throttling: boolean; denied: Set<string>; logResponses: boolean; sessionFactory?: SessionFactory}
  mounts: Map<string, MountedService>
  random?: () => number
}

/** Builds the HTTP server; `listen` is the caller's business. */
export function buildServer(opts: ServerOptions): {server: Server; wsBase: () => string; pending: Set<NodeJS.Timeout>} {
  const {account, control, log, mounts, throttler} = opts
  const random = opts.random ?? Math.random
  const pending = new Set<NodeJS.Timeout>()
  let wsBase = 'ws://127.0.0.1'

  /** A built-in service; ECS first brings deployments and tasks up to the simulated clock. */
  const local = (service: string, operations: Record<string, Operation>, settle = false) => ({
    has: (op: string) => Object.hasOwn(operations, op),
    run(op: string, params: Params) {
      const now = account.now()
      if (settle) account.settle(now)
      return operations[op]({account, now, params, sessionFactory: control.sessionFactory, wsBase})
    },
    service,
  })
  const builtIn: Record<string, ReturnType<typeof local>> = {
    [ECS_PREFIX]: local('ecs', ecsOperations, true),
    'AWSEvents.': local('events', eventOperations),
    'AmazonSSM.': local('ssm', ssmOperations),
  }

  function route(prefix: string) {
    const mounted = mounts.get(prefix)
    if (mounted) {
      const {handle, operations} = mounted
      if (handle) {
        // A raw handler knows its operations only by answering: ask it once per request.
        return {
          has: () => true,
          run: (op: string, params: Params) => {
            const answer = handle(op, params)
            if (!answer) throw new AwsError('UnknownOperationException', `Unknown operation: ${prefix}${op}`)
            return new RawAnswer(answer.status, answer.body)
          },
          service: mounted.service,
        }
      }

      return {
        has: (op: string) => Boolean(operations && Object.hasOwn(operations, op)),
        run: (op: string, params: Params) => operations?.[op](params),
        service: mounted.service,
      }
    }

    return builtIn[prefix]
  }

  function send(res: ServerResponse, status: number, contentType: string, body: string, requestId: string) {
    const write = () => {
      if (res.destroyed) return
      res.writeHead(status, {
        'Content-Length': Buffer.byteLength(body),
        'Content-Type': contentType,
        'x-amzn-RequestId': requestId,
      })
      res.end(body)
    }

    const latency = control.faults.latencyMs ?? 0
    if (latency > 0) {
      const timer = setTimeout(() => {
        pending.delete(timer)
        write()
      }, latency)
      pending.add(timer)
    } else {
      write()
    }
  }

  /**
   * Every call stays in the log; answers only for the last RESPONSES_KEPT calls, so a long
   * benchmark does not hold every DescribeTasks answer in memory.
   */
  function remember(entry: LoggedRequest) {
    log.push(entry)
    const old = log[log.length - 1 - RESPONSES_KEPT]
    if (old) delete old.response
  }

  function errorBody(e: AwsError) {
    return {__type: e.type, message: e.message}
  }

  async function handleJson(target: string, raw: Buffer, res: ServerResponse, requestId: string) {
    const at = Date.now()
    const dot = target.lastIndexOf('.')
    const prefix = target.slice(0, dot + 1)
    const operation = target.slice(dot + 1)
    const svc = dot > 0 ? route(prefix) : undefined
    const entry: LoggedRequest = {at, operation, params: undefined, service: svc?.service ?? 'unknown', status: 200}
    remember(entry)
    const fail = (e: AwsError) => {
      const body = errorBody(e)
      entry.status = e.status
      entry.errorType = e.type
      if (control.logResponses) entry.response = body
      send(res, e.status, JSON_TYPE, JSON.stringify(body), requestId)
    }

    if (!svc || !svc.has(operation)) {
      fail(new AwsError('UnknownOperationException', `Unknown operation: ${target}`))
      return
    }

    let params: Params
    try {
      const text = raw.toString('utf8')
      if (text.trim() === '') throw new Error('empty')
      const parsed: unknown = JSON.parse(text)
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object')
      params = parsed as Params
    } catch {
      fail(serialization('Start of structure or map found where not expected: the request body must be a JSON object.'))
      return
    }

    entry.params = params
    if (control.denied.has(operation) || control.denied.has(`${svc.service}:${operation}`)) {
      fail(
        new AwsError(
          'AccessDeniedException',
          `User: ${account.callerArn} is not authorized to perform: ${svc.service}:${operation} on resource: * because no identity-based policy allows the ${svc.service}:${operation} action`,
        ),
      )
      return
    }

    const rate = control.faults.serverErrorRate ?? 0
    if (rate > 0 && random() < rate) {
      fail(new AwsError(SERVER_ERROR[svc.service] ?? 'InternalFailure', 'Service Unavailable. Please try again later.', 500))
      return
    }

    if (control.throttling && svc.service === 'ecs' && !throttler.admit(operation)) {
      fail(new AwsError('ThrottlingException', 'Rate exceeded'))
      return
    }

    try {
      const result = await svc.run(operation, params)
      if (result instanceof RawAnswer) {
        const b = result.body as {__type?: string} | undefined
        entry.status = result.status
        if (result.status >= 400 && b?.__type) entry.errorType = b.__type
        if (control.logResponses) entry.response = result.body
        send(res, result.status, JSON_TYPE, JSON.stringify(result.body ?? {}), requestId)
        return
      }

      const body = JSON.stringify(result ?? {})
      if (control.logResponses) entry.response = result
      send(res, 200, JSON_TYPE, body, requestId)
    } catch (error) {
      if (error instanceof AwsError) {
        fail(error)
      } else {
        // A bug in the emulator must not take the server down: answer like an AWS 500.
        const message = error instanceof Error ? error.message : String(error)
        fail(new AwsError(SERVER_ERROR[svc.service] ?? 'InternalFailure', `Emulator error: ${message}`, 500))
      }
    }
  }

  function handleQuery(raw: Buffer, res: ServerResponse, requestId: string) {
    const form = new URLSearchParams(raw.toString('utf8'))
    const operation = form.get('Action') ?? ''
    const entry: LoggedRequest = {at: Date.now(), operation, params: Object.fromEntries(form), service: 'sts', status: 200}
    remember(entry)
    let answer: {status: number; body: string}
    if (control.denied.has(operation) || control.denied.has(`sts:${operation}`)) {
      answer = stsError('AccessDenied', `User: ${account.callerArn} is not authorized to perform: sts:${operation}`, requestId, 403)
    } else if ((control.faults.serverErrorRate ?? 0) > 0 && random() < (control.faults.serverErrorRate ?? 0)) {
      answer = stsError('InternalFailure', 'Service Unavailable. Please try again later.', requestId, 500)
    } else {
      answer = stsAnswer(account, form, requestId)
    }

    entry.status = answer.status
    if (answer.status !== 200) entry.errorType = /<Code>([^<]+)<\/Code>/.exec(answer.body)?.[1]
    if (control.logResponses) entry.response = answer.body
    send(res, answer.status, 'text/xml', answer.body, requestId)
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('error', () => res.destroy())
    req.on('end', () => {
      const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
      const requestId = randomUUID()
      const target = req.headers['x-amz-target']
      const contentType = String(req.headers['content-type'] ?? '')
      const done = (p: Promise<void> | void) =>
        Promise.resolve(p).catch((error: unknown) => {
          if (!res.headersSent) send(res, 500, JSON_TYPE, JSON.stringify({__type: 'InternalFailure', message: String(error)}), requestId)
        })
      if (req.method === 'POST' && typeof target === 'string') {
        done(handleJson(target, raw, res, requestId))
      } else if (req.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) {
        done(handleQuery(raw, res, requestId))
      } else {
        const body = JSON.stringify({__type: 'UnknownOperationException', message: 'Missing X-Amz-Target header or Query Action.'})
        send(res, 404, JSON_TYPE, body, requestId)
      }
    })
  })
  server.keepAliveTimeout = 5000
  server.on('listening', () => {
    const address = server.address()
    if (address && typeof address === 'object') wsBase = `ws://127.0.0.1:${address.port}`
  })
  return {pending, server, wsBase: () => wsBase}
}
