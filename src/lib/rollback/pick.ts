import type {ECSClient, Service} from '@aws-sdk/client-ecs'

import {EXIT} from '../aws/errors.js'
import {describeClusters, listClusterArns} from '../ecs/clusters.js'
import {familyRevision, shortName} from '../ecs/names.js'
import {describeServices, listServiceArns} from '../ecs/services.js'
import {BACK, type Choice, prompts} from '../ui/prompts.js'
import {ago, when} from '../text/duration.js'
import {ExplainedError} from '../aws/errors.js'
import type {LoadedDate} from './revision-dates.js'
import type {Candidate} from './revisions.js'
import {serviceRefusal} from './safety.js'

/** Type-to-search over every cluster (all pages), with service and task counts. */
export async function pickCluster(ecs: ECSClient): Promise<string> {
  const arns = await listClusterArns(ecs)
  if (arns.length === 0) {
    throw new ExplainedError({exit: EXIT.FAILURE, message: 'This account has no ECS clusters in this region.', suggestions: ['Check --region and --profile.']})
  }

  const clusters = await describeClusters(ecs, arns)
  const choices = clusters
    .map((c) => ({
      description: `${c.activeServicesCount ?? 0} services, ${c.runningTasksCount ?? 0} running tasks`,
      name: c.clusterName ?? shortName(c.clusterArn ?? ''),
      value: c.clusterName ?? shortName(c.clusterArn ?? ''),
    }))
    .sort((a, b) => a.name.localeCompare(b.name))
  return prompts.search('Cluster', choices)
}

/** Type-to-search over every service of the cluster; services taskonaut cannot roll back are shown disabled. */
export async function pickService(ecs: ECSClient, cluster: string): Promise<Service | typeof BACK> {
  const arns = await listServiceArns(ecs, cluster)
  const services = (await describeServices(ecs, cluster, arns)).sort((a, b) => (a.serviceName ?? '').localeCompare(b.serviceName ?? ''))
  // "← Back" comes last, so Enter on the first line never leaves the list by accident.
  const choices: Choice<Service | typeof BACK>[] = serviceChoices(services)
  if (services.length === 0) choices.push({disabled: 'no services', name: '(this cluster has no services)', value: BACK})
  choices.push({name: '← Back', value: BACK})
  return prompts.search(`Service in ${cluster}`, choices)
}

/**
 * One row per service, in columns: name, current revision, running/desired, rollout state
 * (`web     web:597  3/3 running  COMPLETED`), so every row can be compared at a glance; the
 * description under the list adds what does not fit (pending tasks, deployments in flight).
 */
export function serviceChoices(services: readonly Service[]): Choice<Service>[] {
  const rows = services.map((s) => {
    const primary = s.deployments?.find((d) => d.status === 'PRIMARY')
    const deployments = s.deployments?.length ?? 0
    return {
      cells: [
        s.serviceName ?? shortName(s.serviceArn ?? ''),
        s.taskDefinition ? familyRevision(s.taskDefinition) : '?',
        `${s.runningCount ?? 0}/${s.desiredCount ?? 0} running`,
        [primary?.rolloutState, deployments > 1 ? `${deployments} deployments` : ''].filter(Boolean).join(', '),
      ],
      service: s,
    }
  })
  const widths = [0, 1, 2].map((col) => Math.max(0, ...rows.map((r) => r.cells[col].length)))
  return rows.map(({cells, service: s}) => {
    const refusal = serviceRefusal(s)
    const pending = s.pendingCount ? `${s.pendingCount} pending` : ''
    const reason = s.deployments?.find((d) => d.status === 'PRIMARY' && d.rolloutState === 'FAILED')?.rolloutStateReason ?? ''
    return {
      description: [pending, reason].filter(Boolean).join(' · ') || undefined,
      disabled: refusal ? `${s.deploymentController?.type ?? s.status}: not by UpdateService` : false,
      name: cells
        .map((c, col) => (col < widths.length ? c.padEnd(widths[col]) : c))
        .join('  ')
        .trimEnd(),
      value: s,
    }
  })
}

/** Where the revision list reads registration dates from (revision-dates.ts loads them while it is shown). */
export interface DateSource {
  get(revision: number): LoadedDate
  onChange(listener: () => void): () => void
  prioritise(revisions: readonly number[]): void
}

/** Every ACTIVE revision but the current one, newest first, with age and marks; dates fill in as they load. */
export async function pickRevision(
  family: string,
  current: number,
  candidates: Candidate[],
  dates: DateSource,
  now: () => Date = () => new Date(),
): Promise<number | typeof BACK> {
  const choices = () => {
    const out: Choice<number | typeof BACK>[] = revisionChoices(family, candidates, dates, now())
    if (candidates.length === 0) out.push({disabled: 'nothing to roll back to', name: `(no other ACTIVE revision of ${family})`, value: BACK})
    out.push({name: '← Back', value: BACK})
    return out
  }

  return prompts.search(`Roll back ${family}:${current} to`, choices(), {
    live: {
      onShow: (values) => dates.prioritise(values.filter((v): v is number => typeof v === 'number')),
      subscribe: (update) => dates.onChange(() => update(choices())),
    },
  })
}

/** The rows of the revision list: `web:243  3 hours ago  (newer than current)`. */
export function revisionChoices(family: string, candidates: readonly Candidate[], dates: Pick<DateSource, 'get'>, now: Date): Choice<number>[] {
  return candidates.map((c) => {
    const date = dates.get(c.revision)
    const marks = [c.newer ? 'newer than current' : '', c.lastSuccessful ? '✓ last successful deployment before current' : ''].filter(Boolean)
    const age = date ? ago(date, now) : date === null ? '(date not loaded)' : '…'
    return {
      description: date ? `registered ${when(date)}` : date === null ? 'ECS did not answer for its registration date' : 'loading its registration date…',
      name: [`${family}:${c.revision}`, age, marks.length > 0 ? `(${marks.join(', ')})` : ''].filter(Boolean).join('  '),
      value: c.revision,
    }
  })
}

export type Confirmation = 'no' | 'yes' | typeof BACK

export async function confirmRollback(from: number, to: number): Promise<Confirmation> {
  return prompts.select<Confirmation>(`Proceed with rollback? (${from} → ${to})`, [
    {name: 'Yes, roll back', value: 'yes'},
    {name: '← Back: choose another revision', value: BACK},
    {name: 'No, change nothing', value: 'no'},
  ])
}
