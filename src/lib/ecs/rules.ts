import type {EventBridgeClient} from '@aws-sdk/client-eventbridge'
import pLimit from 'p-limit'

import {collectPages} from './batch.js'
import type {CallOptions} from './clusters.js'

/** An EventBridge rule target that runs an ECS task. */
export interface EcsRuleTarget {
  eventBus: string
  rule: string
  targetId: string
  /** As written in the target: an ARN with a revision, or a family ARN without one (the latest ACTIVE revision). */
  taskDefinitionArn: string
}

/**
 * Every rule target that runs an ECS task, on every event bus of the region (ListEventBuses,
 * ListRules, ListTargetsByRule, all pages). A few rules are read at a time: EventBridge's
 * own limits on these reads are far below ECS's.
 */
export async function listEcsRuleTargets(events: EventBridgeClient, opts: CallOptions & {concurrency?: number} = {}): Promise<EcsRuleTarget[]> {
  const {ListEventBusesCommand, ListRulesCommand, ListTargetsByRuleCommand} = await import('@aws-sdk/client-eventbridge')
  const send = {abortSignal: opts.abortSignal}
  let buses: string[]
  try {
    buses = await collectPages(async (NextToken) => {
      const page = await events.send(new ListEventBusesCommand({Limit: 100, NextToken}), send)
      return {items: (page.EventBuses ?? []).map((b) => b.Name!).filter(Boolean), nextToken: page.NextToken}
    })
  } catch (error) {
    // Stand-ins for AWS (LocalStack builds, the local emulator) may not know ListEventBuses:
    // read the default bus, which holds every scheduled rule. Real AWS always answers.
    if ((error as Error).name !== 'UnknownOperationException') throw error
    buses = []
  }

  if (!buses.includes('default')) buses.unshift('default')
  const limit = pLimit(opts.concurrency ?? 4)
  const perBus = await Promise.all(
    buses.map(async (bus) => {
      const rules = await collectPages(async (NextToken) => {
        const page = await events.send(new ListRulesCommand({EventBusName: bus, Limit: 100, NextToken}), send)
        return {items: (page.Rules ?? []).map((r) => r.Name!).filter(Boolean), nextToken: page.NextToken}
      })
      const perRule = await Promise.all(
        rules.map((rule) =>
          limit(() =>
            collectPages(async (NextToken) => {
              const page = await events.send(new ListTargetsByRuleCommand({EventBusName: bus, Limit: 100, NextToken, Rule: rule}), send)
              const items: EcsRuleTarget[] = []
              for (const t of page.Targets ?? []) {
                const arn = t.EcsParameters?.TaskDefinitionArn
                if (arn) items.push({eventBus: bus, rule, targetId: t.Id ?? '', taskDefinitionArn: arn})
              }

              return {items, nextToken: page.NextToken}
            }),
          ),
        ),
      )
      return perRule.flat()
    }),
  )
  return perBus.flat()
}
