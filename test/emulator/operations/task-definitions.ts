import {clientException, invalidParameter} from '../errors.js'
import {page, padNumber} from '../pagination.js'
import {includesTags, maxResults, oneOf, optList, optString, optStringList, reqString, type Params} from '../params.js'
import {parseTaskDefinitionRef} from '../state/account.js'
import type {TaskDefinitionRecord} from '../state/model.js'
import {tagsIn} from './clusters.js'
import type {Operation} from './context.js'
import {taskDefinitionShape} from './shapes.js'

const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/

/** Members of RegisterTaskDefinition kept as the task definition's body. */
const BODY_KEYS = [
  'containerDefinitions',
  'cpu',
  'ephemeralStorage',
  'executionRoleArn',
  'inferenceAccelerators',
  'ipcMode',
  'memory',
  'networkMode',
  'pidMode',
  'placementConstraints',
  'proxyConfiguration',
  'requiresCompatibilities',
  'runtimePlatform',
  'taskRoleArn',
  'volumes',
  'enableFaultInjection',
]

export const taskDefinitionOperations: Record<string, Operation> = {
  DeleteTaskDefinitions({account, now, params}) {
    const refs = optStringList(params, 'taskDefinitions')
    if (!refs || refs.length === 0) throw invalidParameter('taskDefinitions can not be empty.')
    if (refs.length > 10) throw invalidParameter('The maximum number of task definitions that can be deleted in a single call is 10.')
    const taskDefinitions = []
    const failures = []
    for (const ref of refs) {
      const parsed = parseTaskDefinitionRef(ref, account)
      const arn = ref.startsWith('arn:') ? ref : account.arn(`task-definition/${ref}`)
      if (!parsed || parsed.revision === undefined) {
        failures.push({arn, reason: 'The specified task definition identifier is invalid. Specify a valid revision.'})
        continue
      }

      const td = account.families.get(parsed.family)?.revisions.get(parsed.revision)
      if (!td) {
        failures.push({arn, reason: 'The specified task definition does not exist. Specify a valid account, family, revision and try again.'})
        continue
      }

      if (td.status === 'ACTIVE') {
        failures.push({
          arn: td.arn,
          reason: 'The specified task definition is still in ACTIVE status. Please deregister the target and try again.',
        })
        continue
      }

      if (td.status === 'INACTIVE') {
        td.status = 'DELETE_IN_PROGRESS'
        td.deleteRequestedAt = now
      }

      taskDefinitions.push(taskDefinitionShape(td))
    }

    // Revisions nothing uses go at once (AWS: "eventually"); the rest wait for their users.
    account.reapDeleted(now)
    return {failures, taskDefinitions}
  },

  DeregisterTaskDefinition({account, now, params}) {
    const ref = reqString(params, 'taskDefinition')
    const parsed = parseTaskDefinitionRef(ref, account)
    if (!parsed || parsed.revision === undefined) {
      throw invalidParameter('Invalid revision number. Number: ' + (parsed ? 'missing' : ref))
    }

    const td = account.families.get(parsed.family)?.revisions.get(parsed.revision)
    if (!td) throw clientException('Unable to describe task definition.')
    if (td.status === 'ACTIVE') {
      td.status = 'INACTIVE'
      td.deregisteredAt = now
    }

    return {taskDefinition: taskDefinitionShape(td)}
  },

  DescribeTaskDefinition({account, now, params}) {
    const ref = reqString(params, 'taskDefinition')
    // A DELETE_IN_PROGRESS revision leaves once its last user is gone (checked lazily).
    if (account.findTaskDefinition(ref)?.status === 'DELETE_IN_PROGRESS') account.reapDeleted(now)
    const td = account.findTaskDefinition(ref)
    if (!td) throw clientException('Unable to describe task definition.')
    return {tags: includesTags(params) ? td.tags : undefined, taskDefinition: taskDefinitionShape(td)}
  },

  ListTaskDefinitionFamilies({account, params}) {
    const limit = maxResults(params, 100)
    const status = oneOf(params, 'status', ['ACTIVE', 'INACTIVE', 'ALL'] as const) ?? 'ALL'
    const prefix = optString(params, 'familyPrefix') ?? ''
    const names: string[] = []
    for (const f of account.families.values()) {
      if (!f.name.startsWith(prefix) || f.revisions.size === 0) continue
      const hasActive = [...f.revisions.values()].some((td) => td.status === 'ACTIVE')
      if (status === 'ACTIVE' && !hasActive) continue
      if (status === 'INACTIVE' && hasActive) continue
      names.push(f.name)
    }

    names.sort()
    const p = page(names, {
      filters: {prefix, status},
      key: (x) => x,
      limit,
      nextToken: optString(params, 'nextToken'),
      operation: 'ListTaskDefinitionFamilies',
    })
    return {families: p.items, nextToken: p.nextToken}
  },

  ListTaskDefinitions({account, now, params}) {
    const limit = maxResults(params, 100)
    const status = oneOf(params, 'status', ['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'] as const) ?? 'ACTIVE'
    const sort = oneOf(params, 'sort', ['ASC', 'DESC'] as const) ?? 'ASC'
    const family = optString(params, 'familyPrefix')
    if (status === 'DELETE_IN_PROGRESS') account.reapDeleted(now)
    const families = family === undefined ? [...account.families.values()] : [account.families.get(family)].filter((f) => f !== undefined)
    const found: TaskDefinitionRecord[] = []
    for (const f of families) for (const td of f.revisions.values()) if (td.status === status) found.push(td)
    const key = (td: TaskDefinitionRecord) => `${td.family}\u0000${padNumber(td.revision)}`
    found.sort((x, y) => (key(x) < key(y) ? -1 : 1))
    if (sort === 'DESC') found.reverse()
    const p = page(found, {
      descending: sort === 'DESC',
      filters: {family, sort, status},
      key,
      limit,
      nextToken: optString(params, 'nextToken'),
      operation: 'ListTaskDefinitions',
    })
    return {nextToken: p.nextToken, taskDefinitionArns: p.items.map((td) => td.arn)}
  },

  RegisterTaskDefinition({account, now, params}) {
    const family = reqString(params, 'family', 'Family')
    if (!FAMILY.test(family)) {
      throw clientException('Family contains invalid characters: up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.')
    }

    const containers = optList<Params>(params, 'containerDefinitions')
    if (!containers || containers.length === 0) throw clientException('Container list cannot be empty.')
    const names = new Set<string>()
    for (const c of containers) {
      if (typeof c?.name !== 'string' || c.name === '') throw clientException('Container.name should not be null or empty.')
      if (typeof c.image !== 'string' || c.image === '') throw clientException('Container.image should not be null or empty.')
      if (names.has(c.name)) throw clientException(`Duplicate container name: ${c.name}.`)
      names.add(c.name)
    }

    const body: Record<string, unknown> = {}
    for (const k of BODY_KEYS) if (params[k] !== undefined) body[k] = params[k]
    const tags = tagsIn(optList(params, 'tags'))
    const td = account.registerTaskDefinition(family, body, {registeredAt: now, tags})
    return {tags, taskDefinition: taskDefinitionShape(td)}
  },
}
