import {AwsError, serialization} from '../errors.js'
import {page} from '../pagination.js'
import {optInt, optList, optString, type Params} from '../params.js'
import type {Account} from '../state/account.js'
import type {RuleRecord, RuleTargetRecord} from '../state/model.js'
import type {Operation} from './context.js'

/**
 * EventBridge's own error types: it has no InvalidParameterException. Bad input (a Limit out
 * of range, a refused NextToken) is a ValidationException; an unknown bus or rule is a
 * ResourceNotFoundException.
 */
const validation = (message: string) => new AwsError('ValidationException', message)
const notFound = (message: string) => new AwsError('ResourceNotFoundException', message)

function limitOf(params: Params): number {
  const v = optInt(params, 'Limit')
  if (v === undefined) return 100
  if (v < 1 || v > 100) throw validation(`1 validation error detected: Value '${v}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100`)
  return v
}

/** A page of an EventBridge List call: `Limit` and `NextToken`, a refused token a ValidationException. */
function eventPage<T>(items: T[], params: Params, opts: {filters: unknown; key: (item: T) => string; operation: string}) {
  return page(items, {...opts, limit: limitOf(params), nextToken: optString(params, 'NextToken'), refuse: validation})
}

function busOf(params: Params): string {
  const bus = optString(params, 'EventBusName') ?? 'default'
  return bus.startsWith('arn:') ? bus.split(':event-bus/')[1] ?? bus : bus
}

/** The bus a request names (default when none); an unknown one is ResourceNotFoundException. */
function existingBus(account: Account, params: Params): string {
  const bus = busOf(params)
  if (!account.eventBuses.has(bus)) throw notFound(`Event bus ${bus} does not exist.`)
  return bus
}

function ruleOrThrow(account: Account, params: Params): RuleRecord {
  const name = optString(params, 'Rule') ?? optString(params, 'Name')
  if (!name) throw validation('Rule name must not be blank.')
  const bus = existingBus(account, params)
  const rule = account.rules.get(`${bus}/${name}`)
  if (!rule) throw notFound(`Rule ${name} does not exist on EventBus ${bus}.`)
  return rule
}

export function ruleShape(r: RuleRecord) {
  return {
    Arn: r.arn,
    Description: r.description,
    EventBusName: r.eventBusName,
    EventPattern: r.eventPattern,
    Name: r.name,
    ScheduleExpression: r.scheduleExpression,
    State: r.state,
  }
}

/** Seeds a rule (scenarios) or stores PutRule's; a scenario's bus comes into being with its first rule. */
export function addRule(account: Account, r: Omit<RuleRecord, 'arn' | 'targets'> & {targets?: RuleTargetRecord[]}): RuleRecord {
  const bus = r.eventBusName
  account.eventBuses.add(bus)
  const arn = account.arn(bus === 'default' ? `rule/${r.name}` : `rule/${bus}/${r.name}`, 'events')
  const existing = account.rules.get(`${bus}/${r.name}`)
  const rule: RuleRecord = {...r, arn, targets: r.targets ?? existing?.targets ?? []}
  account.rules.set(`${bus}/${r.name}`, rule)
  return rule
}

export const eventOperations: Record<string, Operation> = {
  CreateEventBus({account, params}) {
    const name = optString(params, 'Name')
    if (!name || !/^[/.\-_A-Za-z0-9]{1,256}$/.test(name)) {
      throw validation(`1 validation error detected: Value '${name ?? ''}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+`)
    }

    if (account.eventBuses.has(name)) throw new AwsError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`)
    account.eventBuses.add(name)
    return {EventBusArn: account.arn(`event-bus/${name}`, 'events')}
  },

  DescribeRule({account, params}) {
    return ruleShape(ruleOrThrow(account, params))
  },

  ListEventBuses({account, params}) {
    const prefix = optString(params, 'NamePrefix') ?? ''
    const buses = [...account.eventBuses].filter((n) => n.startsWith(prefix)).sort()
    const p = eventPage(buses, params, {filters: {prefix}, key: (n) => n, operation: 'ListEventBuses'})
    return {
      EventBuses: p.items.map((name) => ({Arn: account.arn(`event-bus/${name}`, 'events'), Name: name})),
      NextToken: p.nextToken,
    }
  },

  ListRules({account, params}) {
    const bus = existingBus(account, params)
    const prefix = optString(params, 'NamePrefix') ?? ''
    const rules = [...account.rules.values()]
      .filter((r) => r.eventBusName === bus && r.name.startsWith(prefix))
      .sort((x, y) => (x.name < y.name ? -1 : 1))
    const p = eventPage(rules, params, {filters: {bus, prefix}, key: (r) => r.name, operation: 'ListRules'})
    return {NextToken: p.nextToken, Rules: p.items.map((r) => ruleShape(r))}
  },

  ListTargetsByRule({account, params}) {
    const rule = ruleOrThrow(account, params)
    const targets = [...rule.targets].sort((x, y) => (x.Id < y.Id ? -1 : 1))
    const p = eventPage(targets, params, {filters: {rule: rule.arn}, key: (t) => t.Id, operation: 'ListTargetsByRule'})
    return {NextToken: p.nextToken, Targets: p.items}
  },

  PutRule({account, params}) {
    const name = optString(params, 'Name')
    if (!name) throw validation('Rule name must not be blank.')
    const rule = addRule(account, {
      description: optString(params, 'Description'),
      eventBusName: existingBus(account, params),
      eventPattern: optString(params, 'EventPattern'),
      name,
      scheduleExpression: optString(params, 'ScheduleExpression'),
      state: (optString(params, 'State') as RuleRecord['state'] | undefined) ?? 'ENABLED',
    })
    return {RuleArn: rule.arn}
  },

  PutTargets({account, params}) {
    const rule = ruleOrThrow(account, params)
    const targets = optList<RuleTargetRecord>(params, 'Targets') ?? []
    if (targets.length === 0 || targets.length > 10) throw validation('Targets must contain between 1 and 10 items.')
    for (const [i, t] of targets.entries()) {
      if (typeof t !== 'object' || t === null || Array.isArray(t)) throw serialization(`Expected a structure for member 'Targets[${i}]'`)
      for (const member of ['Id', 'Arn'] as const) {
        if (typeof t[member] !== 'string' || t[member] === '') {
          throw validation(`1 validation error detected: Value at 'targets.${i + 1}.member.${member.toLowerCase()}' failed to satisfy constraint: Member must not be null`)
        }
      }
    }

    for (const t of targets) {
      rule.targets = rule.targets.filter((x) => x.Id !== t.Id)
      rule.targets.push(t)
    }

    return {FailedEntries: [], FailedEntryCount: 0}
  },
}
