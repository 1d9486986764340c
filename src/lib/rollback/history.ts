import type {ECSClient, Service, ServiceDeployment, ServiceDeploymentBrief} from '@aws-sdk/client-ecs'

import {describeServiceDeployments, describeServiceRevisions, listServiceDeployments} from '../ecs/deployments.js'
import {familyRevision} from '../ecs/names.js'
import {isMarked, readServiceMarks} from './marker.js'
import {isUnsupported} from './watch.js'

export interface HistoryEntry {
  /** ECS's record ARN (or the `ecs-svc/…` id when only DescribeServices was available). */
  id: string
  /** family:revision deployed. */
  revision?: string
  /** family:revision(s) the service ran before. */
  from: string[]
  startedAt?: string
  finishedAt?: string
  /** ECS's own status word: SUCCESSFUL, ROLLBACK_SUCCESSFUL, IN_PROGRESS, STOPPED, PRIMARY... */
  status: string
  outcome: 'failed' | 'in progress' | 'rolled back' | 'stopped' | 'succeeded' | 'unknown'
  reason?: string
  /** When ECS's circuit breaker rolled it back: the revision it went back to. */
  rolledBackTo?: string
  /** Made by `taskonaut rollback` (the service's taskonaut:rollbacks tag names it). */
  byTaskonaut: boolean
  /** Who started it, where known: ECS records no principal; only taskonaut's own mark is known. */
  startedBy?: string
}

export interface History {
  /** deployment-records: ECS's ListServiceDeployments; service: only DescribeServices' current deployments. */
  source: 'deployment-records' | 'service'
  entries: HistoryEntry[]
  note?: string
}

export async function loadHistory(ecs: ECSClient, cluster: string, service: Service, limit: number): Promise<History> {
  const marks = service.serviceArn ? await readServiceMarks(ecs, service.serviceArn).catch(() => [] as string[]) : []
  let briefs: ServiceDeploymentBrief[]
  try {
    briefs = await listServiceDeployments(ecs, cluster, service.serviceName ?? service.serviceArn ?? '', {limit})
  } catch (error) {
    if (!isUnsupported(error)) throw error
    return {
      entries: fromService(service, marks),
      note: `ECS deployment records are not available here (${(error as Error).name}); showing the deployments DescribeServices lists now.`,
      source: 'service',
    }
  }

  const records = await describeServiceDeployments(ecs, briefs.map((b) => b.serviceDeploymentArn!).filter(Boolean)).catch((error) => {
    if (isUnsupported(error)) return [] as ServiceDeployment[]
    throw error
  })
  const revisionArns = new Set<string>()
  for (const b of briefs) if (b.targetServiceRevisionArn) revisionArns.add(b.targetServiceRevisionArn)
  for (const r of records) {
    for (const s of r.sourceServiceRevisions ?? []) if (s.arn) revisionArns.add(s.arn)
    if (r.rollback?.serviceRevisionArn) revisionArns.add(r.rollback.serviceRevisionArn)
  }

  const revisions = await describeServiceRevisions(ecs, [...revisionArns]).catch((error) => {
    if (isUnsupported(error)) return []
    throw error
  })
  const taskDefinitions = new Map(revisions.map((r) => [r.serviceRevisionArn ?? '', r.taskDefinition ?? '']))
  return {entries: buildHistory(briefs, records, taskDefinitions, marks), source: 'deployment-records'}
}

/** Pure: ECS's records, the service revision → task definition map and taskonaut's marks. */
export function buildHistory(
  briefs: ServiceDeploymentBrief[],
  records: ServiceDeployment[],
  taskDefinitions: Map<string, string>,
  marks: readonly string[],
): HistoryEntry[] {
  const byArn = new Map(records.map((r) => [r.serviceDeploymentArn, r]))
  const td = (arn: string | undefined) => {
    const ref = arn ? taskDefinitions.get(arn) : undefined
    return ref ? familyRevision(ref) : undefined
  }

  const entries = briefs.map((b): HistoryEntry => {
    const record = byArn.get(b.serviceDeploymentArn)
    const byTaskonaut = isMarked(marks, b.serviceDeploymentArn)
    const from = (record?.sourceServiceRevisions ?? []).map((s) => td(s.arn)).filter((x): x is string => Boolean(x))
    return {
      byTaskonaut,
      finishedAt: iso(b.finishedAt ?? record?.stoppedAt),
      from: [...new Set(from)],
      id: b.serviceDeploymentArn ?? '',
      outcome: outcomeOf(b.status),
      reason: record?.rollback?.reason || b.statusReason || undefined,
      revision: td(b.targetServiceRevisionArn),
      rolledBackTo: td(record?.rollback?.serviceRevisionArn),
      startedAt: iso(b.startedAt ?? b.createdAt),
      startedBy: byTaskonaut ? 'taskonaut rollback' : undefined,
      status: b.status ?? 'UNKNOWN',
    }
  })
  return entries.sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''))
}

export function outcomeOf(status: string | undefined): HistoryEntry['outcome'] {
  switch (status) {
    case 'SUCCESSFUL': {
      return 'succeeded'
    }

    case 'ROLLBACK_SUCCESSFUL':
    case 'ROLLBACK_IN_PROGRESS':
    case 'ROLLBACK_REQUESTED': {
      return 'rolled back'
    }

    case 'ROLLBACK_FAILED': {
      return 'failed'
    }

    case 'STOPPED':
    case 'STOP_REQUESTED': {
      return 'stopped'
    }

    case 'IN_PROGRESS':
    case 'PENDING': {
      return 'in progress'
    }

    default: {
      return 'unknown'
    }
  }
}

/** Fallback: the deployments DescribeServices lists (the current one and any still draining). */
export function fromService(service: Service, marks: readonly string[]): HistoryEntry[] {
  return (service.deployments ?? []).map((d) => {
    const byTaskonaut = isMarked(marks, d.id)
    const outcome: HistoryEntry['outcome'] =
      d.rolloutState === 'COMPLETED' ? 'succeeded' : d.rolloutState === 'FAILED' ? 'failed' : d.rolloutState === 'IN_PROGRESS' ? 'in progress' : 'unknown'
    return {
      byTaskonaut,
      from: [],
      id: d.id ?? '',
      outcome,
      reason: d.rolloutState === 'FAILED' ? d.rolloutStateReason : undefined,
      revision: d.taskDefinition ? familyRevision(d.taskDefinition) : undefined,
      startedAt: iso(d.createdAt),
      startedBy: byTaskonaut ? 'taskonaut rollback' : undefined,
      status: d.status ?? 'UNKNOWN',
    }
  })
}

function iso(date: Date | undefined): string | undefined {
  return date ? new Date(date).toISOString() : undefined
}
