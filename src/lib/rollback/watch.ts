import type {ECSClient, ServiceDeployment} from '@aws-sdk/client-ecs'
import {setTimeout as sleep} from 'node:timers/promises'

import {describeServiceDeployments} from '../ecs/deployments.js'
import {describeServices} from '../ecs/services.js'
import {type Assessment, assess, type Target} from './assess.js'

export const DEFAULT_POLL_MS = 5000

/**
 * How often to poll: 5 s, or TASKONAUT_POLL_INTERVAL_MS (a documented hook for tests and for
 * the emulator, whose time scale makes deployments finish in a fraction of real time).
 */
export function pollInterval(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number.parseInt(env.TASKONAUT_POLL_INTERVAL_MS ?? '', 10)
  return ms > 0 ? ms : DEFAULT_POLL_MS
}

export interface WatchOptions {
  cluster: string
  service: string
  target: Target
  /** ARN of the ECS deployment record of our deployment, when UpdateService gave one. */
  deploymentArn?: string
  timeoutMs: number
  intervalMs?: number
  /** Aborting stops the watching (Ctrl-C), never the deployment. */
  signal?: AbortSignal
  onProgress?: (assessment: Assessment, elapsedMs: number) => void
}

export interface WatchOutcome {
  state: 'failed' | 'interrupted' | 'succeeded' | 'timeout'
  last?: Assessment
  elapsedMs: number
  polls: number
}

/** Polls DescribeServices (and the deployment record) until the deployment ends or time runs out. */
export async function watchDeployment(ecs: ECSClient, opts: WatchOptions): Promise<WatchOutcome> {
  const started = Date.now()
  const interval = opts.intervalMs ?? pollInterval()
  let useRecord = opts.deploymentArn !== undefined
  let last: Assessment | undefined
  let polls = 0
  const outcome = (state: WatchOutcome['state']): WatchOutcome => ({elapsedMs: Date.now() - started, last, polls, state})

  for (;;) {
    if (opts.signal?.aborted) return outcome('interrupted')
    try {
      const [services, record] = await Promise.all([
        describeServices(ecs, opts.cluster, [opts.service], {abortSignal: opts.signal}),
        useRecord ? readRecord(ecs, opts.deploymentArn!, opts.signal) : undefined,
      ])
      if (record === null) useRecord = false
      polls++
      const service = services[0]
      // Deleted while we watch (DescribeServices answers MISSING, or INACTIVE for a while):
      // nothing will ever complete, so say so now rather than at the timeout.
      if (!service || service.status === 'INACTIVE') {
        const progress = {deployments: 0, desired: 0, failedTasks: 0, pending: 0, running: 0, ...last?.progress, primary: undefined}
        last = {progress, reason: `Service ${opts.service} was deleted while its deployment was watched.`, rolledBack: false, state: 'failed'}
        return outcome('failed')
      }

      last = assess(service, opts.target, record ?? undefined)
      opts.onProgress?.(last, Date.now() - started)
      if (last.state !== 'in-progress') return outcome(last.state)
    } catch (error) {
      if (opts.signal?.aborted) return outcome('interrupted')
      throw error
    }

    const left = opts.timeoutMs - (Date.now() - started)
    if (left <= 0) return outcome('timeout')
    try {
      await sleep(Math.min(interval, left), undefined, {signal: opts.signal})
    } catch {
      return outcome('interrupted')
    }
  }
}

/** The record, or null when this endpoint does not keep deployment records (then we stop asking). */
async function readRecord(ecs: ECSClient, arn: string, signal?: AbortSignal): Promise<ServiceDeployment | null | undefined> {
  try {
    const [record] = await describeServiceDeployments(ecs, [arn], {abortSignal: signal})
    return record
  } catch (error) {
    if (isUnsupported(error)) return null
    throw error
  }
}

/** Errors meaning "this endpoint or identity cannot do that call", where we fall back rather than fail. */
export function isUnsupported(error: unknown): boolean {
  const name = (error as Error)?.name ?? ''
  return /UnknownOperation|NotImplemented|InvalidAction|AccessDenied|UnsupportedOperation/i.test(name)
}

/** The AWS CLI command that keeps following a deployment after taskonaut stops watching. */
export function keepWatchingCommand(opts: {cluster: string; service: string; deploymentArn?: string; region?: string; profile?: string}): string {
  const where = [opts.region ? `--region ${opts.region}` : '', opts.profile ? `--profile ${opts.profile}` : ''].filter(Boolean).join(' ')
  const base = opts.deploymentArn
    ? `aws ecs describe-service-deployments --service-deployment-arns ${opts.deploymentArn}`
    : `aws ecs describe-services --cluster ${opts.cluster} --services ${opts.service} --query "services[0].deployments"`
  return where ? `${base} ${where}` : base
}
