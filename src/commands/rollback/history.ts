import type {Service} from '@aws-sdk/client-ecs'
import {Flags} from '@oclif/core'

import {BaseCommand} from '../../lib/base-command.js'
import {shortName} from '../../lib/ecs/names.js'
import {clusterFlag, serviceFlag} from '../../lib/flags.js'
import {ago, when} from '../../lib/text/duration.js'
import {type History, loadHistory} from '../../lib/rollback/history.js'
import {clusterOfServiceArn, findService} from '../../lib/rollback/lookup.js'
import {pickCluster, pickService} from '../../lib/rollback/pick.js'
import {table} from '../../lib/rollback/render.js'
import {BACK} from '../../lib/ui/prompts.js'

export default class RollbackHistory extends BaseCommand<typeof RollbackHistory> {
  static description = `Lists the service's past deployments from ECS's deployment records (kept by ECS for about 90 days), newest first: the revision deployed, the one it replaced, start and end, outcome with ECS's reason, and whether it was a rollback made with taskonaut (marked through the service tag taskonaut:rollbacks). ECS records no principal for a deployment, so "by" is only known for taskonaut's own rollbacks; CloudTrail's UpdateService events tell the rest.`
  static enableJsonFlag = true
  static examples = [
    '<%= config.bin %> rollback history --cluster prod --service web',
    '<%= config.bin %> rollback history --cluster prod --service web --limit 50 --json',
  ]
  static flags = {
    cluster: clusterFlag,
    limit: Flags.integer({default: 20, description: 'How many deployments to show, newest first', max: 500, min: 1}),
    service: serviceFlag,
  }
  static summary = "Show a service's past deployments and which were taskonaut rollbacks"

  async run(): Promise<History & {cluster: string; service: string}> {
    const {flags} = this
    const ecs = await (await this.clients()).ecs()
    let cluster = flags.cluster ?? clusterOfServiceArn(flags.service)
    let service: Service | undefined
    while (!service) {
      cluster ??= await this.valueOrPrompt('cluster', undefined, () => pickCluster(ecs))
      if (flags.service) {
        service = await findService(ecs, cluster, flags.service, `${this.config.bin} rollback history`)
      } else {
        if (!this.canPrompt()) this.missingFlag('service')
        const picked = await pickService(ecs, cluster)
        if (picked === BACK) cluster = undefined
        else service = picked
      }
    }

    const history = await loadHistory(ecs, cluster!, service, flags.limit)
    if (!this.jsonEnabled()) this.render(history, service.serviceName ?? '')
    return {cluster: shortName(cluster!), service: service.serviceName ?? '', ...history}
  }

  private render(history: History, service: string): void {
    if (history.note) this.logToStderr(`Note: ${history.note}`)
    if (history.entries.length === 0) {
      this.logToStderr(`No deployments recorded for ${service}.`)
      return
    }

    const rows = [['STARTED', 'REVISION', 'FROM', 'TOOK', 'OUTCOME', 'BY', 'REASON']]
    for (const e of history.entries) {
      const took = e.startedAt && e.finishedAt ? duration(new Date(e.finishedAt).getTime() - new Date(e.startedAt).getTime()) : ''
      rows.push([
        e.startedAt ? `${when(e.startedAt)} (${ago(e.startedAt)})` : '',
        e.revision ?? '?',
        e.from.join(', '),
        took,
        e.rolledBackTo ? `${e.outcome} → ${e.rolledBackTo}` : e.outcome,
        e.byTaskonaut ? 'taskonaut' : '',
        e.reason ?? '',
      ])
    }

    for (const line of table(rows)) this.log(line)
  }
}

function duration(ms: number): string {
  if (!(ms >= 0)) return ''
  const s = Math.round(ms / 1000)
  return s < 120 ? `${s}s` : `${Math.round(s / 60)}m`
}
