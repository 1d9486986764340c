import {AwsError, invalidParameter} from '../errors.js'
import {optList, optStringList, reqString} from '../params.js'
import {type Account, parseTaskDefinitionRef} from '../state/account.js'
import type {Tag} from '../state/model.js'
import {tagsIn} from './clusters.js'
import type {Operation} from './context.js'

/** The tag list of a cluster, service, task or task definition, by ARN. */
function tagsOf(account: Account, arn: string): {tags: Tag[]; set: (tags: Tag[]) => void} {
  const prefix = account.arn('')
  if (!arn.startsWith('arn:')) throw invalidParameter('The ARN provided is not valid.')
  if (!arn.startsWith(prefix)) throw notFound()
  const [kind, ...rest] = arn.slice(prefix.length).split('/')
  let owner: {tags: Tag[]} | undefined
  if (kind === 'cluster') owner = account.findCluster(arn)
  else if (kind === 'service' && rest.length === 2) {
    const cluster = account.findCluster(rest[0])
    owner = cluster ? account.findService(cluster, arn) : undefined
  } else if (kind === 'task' && rest.length === 2) {
    const cluster = account.findCluster(rest[0])
    owner = cluster ? account.findTask(cluster, arn) : undefined
  } else if (kind === 'task-definition') {
    const parsed = parseTaskDefinitionRef(arn, account)
    owner = parsed?.revision === undefined ? undefined : account.families.get(parsed.family)?.revisions.get(parsed.revision)
  } else {
    throw invalidParameter('The ARN provided is not valid.')
  }

  if (!owner) throw notFound()
  const target = owner
  return {
    set(tags) {
      target.tags = tags
    },
    tags: target.tags,
  }
}

const notFound = () => new AwsError('ResourceNotFoundException', 'The specified resource could not be found.')

export const tagOperations: Record<string, Operation> = {
  ListTagsForResource({account, params}) {
    return {tags: tagsOf(account, reqString(params, 'resourceArn', 'resourceArn')).tags}
  },

  TagResource({account, params}) {
    const found = tagsOf(account, reqString(params, 'resourceArn', 'resourceArn'))
    const add = tagsIn(optList(params, 'tags'))
    if (add.length === 0) throw invalidParameter('Tags can not be empty.')
    const merged = new Map(found.tags.map((t) => [t.key, t]))
    for (const t of add) merged.set(t.key, t)
    if (merged.size > 50) throw invalidParameter('Too many tags: at most 50 are allowed.')
    found.set([...merged.values()])
    return {}
  },

  UntagResource({account, params}) {
    const found = tagsOf(account, reqString(params, 'resourceArn', 'resourceArn'))
    const keys = optStringList(params, 'tagKeys')
    if (!keys || keys.length === 0) throw invalidParameter('TagKeys can not be empty.')
    found.set(found.tags.filter((t) => !keys.includes(t.key)))
    return {}
  },
}
