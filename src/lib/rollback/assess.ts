import type {Deployment, Service, ServiceDeployment} from '@aws-sdk/client-ecs'

import {familyRevision} from '../ecs/names.js'

/**
 * Where a rollback deployment stands, decided from what DescribeServices and ECS's deployment
 * record say. Pure, because this is the judgement the stock "services stable" waiter gets
 * wrong: after a circuit breaker has rolled back, the service is stable again, on the OLD
 * revision, and the waiter reports success.
 */

export interface Progress {
  /** The deployment we started, when it is still listed. */
  rolloutState?: string
  running: number
  pending: number
  desired: number
  failedTasks: number
  /** Revision (family:N) of the service's PRIMARY deployment right now. */
  primary?: string
  deployments: number
}

export type Assessment =
  | {progress: Progress; state: 'in-progress'}
  | {progress: Progress; state: 'succeeded'}
  | {progress: Progress; reason: string; rolledBack: boolean; state: 'failed'}

export interface Target {
  taskDefinitionArn: string
  /** `ecs-svc/…` id of the deployment UpdateService created, when known. */
  deploymentId?: string
}

const ROLLBACK_STATUSES = new Set(['ROLLBACK_FAILED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_SUCCESSFUL'])

export function assess(service: Service, target: Target, record?: ServiceDeployment): Assessment {
  const deployments = service.deployments ?? []
  const primary = deployments.find((d) => d.status === 'PRIMARY')
  const ours =
    deployments.find((d) => target.deploymentId !== undefined && d.id === target.deploymentId) ??
    (target.deploymentId === undefined ? deployments.find((d) => sameRevision(d.taskDefinition, target.taskDefinitionArn)) : undefined)
  // Counts are those of our deployment; once ECS has dropped it (after a circuit-breaker
  // rollback) the PRIMARY is another revision's, and its counts would read as ours.
  const shown = ours ?? (primary && sameRevision(primary.taskDefinition, target.taskDefinitionArn) ? primary : undefined)
  const progress: Progress = {
    deployments: deployments.length,
    desired: shown?.desiredCount ?? service.desiredCount ?? 0,
    failedTasks: ours?.failedTasks ?? 0,
    pending: shown?.pendingCount ?? 0,
    primary: primary?.taskDefinition ? familyRevision(primary.taskDefinition) : undefined,
    rolloutState: ours?.rolloutState,
    running: shown?.runningCount ?? 0,
  }

  // ECS's deployment record is the most direct word on the outcome.
  const status = record?.status
  if (status === 'SUCCESSFUL') return {progress, state: 'succeeded'}
  if (status && ROLLBACK_STATUSES.has(status)) {
    return {progress, reason: recordReason(record!) ?? 'ECS rolled the deployment back.', rolledBack: true, state: 'failed'}
  }

  if (status === 'STOPPED' || status === 'STOP_REQUESTED') {
    return {progress, reason: recordReason(record!) ?? 'The deployment was stopped.', rolledBack: false, state: 'failed'}
  }

  if (ours?.rolloutState === 'FAILED') {
    const rolledBack = primary !== undefined && primary !== ours
    return {progress, reason: ours.rolloutStateReason || 'The rollout failed.', rolledBack, state: 'failed'}
  }

  const primaryIsOurs = primary !== undefined && (ours ? primary === ours : sameRevision(primary.taskDefinition, target.taskDefinitionArn))
  if (!primaryIsOurs) {
    const event = (service.events ?? []).find((e) => /circuit breaker|rolling back|rolled back/i.test(e.message ?? ''))
    const now = progress.primary ? `the service's primary deployment is now ${progress.primary}` : 'the deployment is gone'
    return {
      progress,
      reason: event?.message ? `${event.message} (${now})` : `Another deployment replaced this one: ${now}.`,
      rolledBack: Boolean(event),
      state: 'failed',
    }
  }

  if (primary.rolloutState === 'COMPLETED') return {progress, state: 'succeeded'}
  // Without rollout states (older APIs, stand-ins), "stable" is the criterion: one deployment, all running.
  if (primary.rolloutState === undefined && isStable(primary, deployments)) return {progress, state: 'succeeded'}
  return {progress, state: 'in-progress'}
}

function isStable(primary: Deployment, deployments: Deployment[]): boolean {
  return deployments.length === 1 && (primary.runningCount ?? 0) === (primary.desiredCount ?? 0) && (primary.pendingCount ?? 0) === 0
}

function recordReason(record: ServiceDeployment): string | undefined {
  return record.rollback?.reason || record.statusReason || undefined
}

/** Task definition references are equal when they name the same family:revision. */
export function sameRevision(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && familyRevision(a) === familyRevision(b)
}

/** One line for the progress display: `web:243 2/4 running, 1 pending · IN_PROGRESS`. */
export function describeProgress(p: Progress): string {
  const parts = [`${p.running}/${p.desired} running`]
  if (p.pending) parts.push(`${p.pending} pending`)
  if (p.failedTasks) parts.push(`${p.failedTasks} failed`)
  const tail = [p.rolloutState, p.deployments > 1 ? `${p.deployments} deployments` : undefined].filter(Boolean).join(', ')
  return `${parts.join(', ')}${tail ? ` · ${tail}` : ''}`
}
