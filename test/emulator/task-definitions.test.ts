import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  paginateListTaskDefinitions,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs'
import {expect} from 'chai'

import {clients, container, failure} from './contract-helpers.js'
import {type Emulator, startEmulator} from './index.js'

const revs = (arns: string[] | undefined) => (arns ?? []).map((a) => a.split('/').at(-1))

describe('emulator task definitions', () => {
  let em: Emulator
  let ecs: ECSClient
  before(async () => {
    em = await startEmulator({
      scenario: {families: [{family: 'web', inactive: '1-200', revisions: 250}, {family: 'webhook', revisions: 2}, {family: 'old', inactive: '1-3', revisions: 3}]},
    })
    ecs = clients(em).ecs
  })
  after(async () => {
    await em.stop()
  })

  it('registers with growing revision numbers, registeredAt/By and tags', async () => {
    const a = await ecs.send(new RegisterTaskDefinitionCommand({containerDefinitions: [container()], family: 'fresh', tags: [{key: 'team', value: 'x'}]}))
    const b = await ecs.send(new RegisterTaskDefinitionCommand({containerDefinitions: [container()], family: 'fresh'}))
    expect(a.taskDefinition?.revision).to.equal(1)
    expect(b.taskDefinition?.revision).to.equal(2)
    expect(a.taskDefinition?.registeredAt).to.be.instanceOf(Date)
    expect(Math.abs((a.taskDefinition?.registeredAt?.getTime() ?? 0) - Date.now())).to.be.lessThan(5000)
    expect(a.taskDefinition?.registeredBy).to.match(/^arn:aws:iam::123456789012:/)
    expect(a.tags).to.deep.equal([{key: 'team', value: 'x'}])
    const d = await ecs.send(new DescribeTaskDefinitionCommand({include: ['TAGS'], taskDefinition: 'fresh:1'}))
    expect(d.tags).to.deep.equal([{key: 'team', value: 'x'}])
    const noTags = await ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: 'fresh:1'}))
    expect(noTags.tags).to.equal(undefined)
  })

  it('refuses a bad registration with AWS errors', async () => {
    expect((await failure(ecs.send(new RegisterTaskDefinitionCommand({containerDefinitions: [], family: 'x'})))).name).to.equal('ClientException')
    expect((await failure(ecs.send(new RegisterTaskDefinitionCommand({containerDefinitions: [container()], family: 'bad name'})))).name).to.equal(
      'ClientException',
    )
    const missing = await failure(ecs.send(new RegisterTaskDefinitionCommand({containerDefinitions: [container()]} as never)))
    expect(missing.name).to.equal('InvalidParameterException')
  })

  it('describes by family (latest ACTIVE), family:rev and ARN; unknown is a ClientException', async () => {
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: 'web'}))
    expect(latest.taskDefinition?.revision).to.equal(250)
    const inactive = await ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: 'web:3'}))
    expect(inactive.taskDefinition?.status).to.equal('INACTIVE')
    expect(inactive.taskDefinition?.deregisteredAt).to.be.instanceOf(Date)
    const byArn = await ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: latest.taskDefinition?.taskDefinitionArn}))
    expect(byArn.taskDefinition?.revision).to.equal(250)
    const e = await failure(ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: 'web:999'})))
    expect(e.name).to.equal('ClientException')
    expect(e.message).to.equal('Unable to describe task definition.')
    expect((await failure(ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: 'old'})))).name).to.equal('ClientException')
  })

  it('lists ACTIVE by default, INACTIVE on request, familyPrefix as the exact family', async () => {
    const active = await ecs.send(new ListTaskDefinitionsCommand({familyPrefix: 'web'}))
    expect(active.taskDefinitionArns).to.have.length(50)
    expect(revs(active.taskDefinitionArns)[0]).to.equal('web:201')
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({familyPrefix: 'web', maxResults: 100, status: 'INACTIVE'}))
    expect(inactive.taskDefinitionArns).to.have.length(100)
    expect(inactive.nextToken).to.be.a('string')
    // 'web' does not match 'webhook'
    expect(revs(active.taskDefinitionArns).every((r) => r?.startsWith('web:'))).to.equal(true)
  })

  it('sorts by family then revision, ASC by default, DESC on request', async () => {
    const asc = await ecs.send(new ListTaskDefinitionsCommand({}))
    const list = revs(asc.taskDefinitionArns)
    expect(list.indexOf('web:201')).to.be.lessThan(list.indexOf('web:250'))
    expect(list.indexOf('web:250')).to.be.lessThan(list.indexOf('webhook:1'))
    const desc = await ecs.send(new ListTaskDefinitionsCommand({familyPrefix: 'web', maxResults: 3, sort: 'DESC'}))
    expect(revs(desc.taskDefinitionArns)).to.deep.equal(['web:250', 'web:249', 'web:248'])
  })

  it('paginates every revision exactly once, ASC and DESC', async () => {
    for (const sort of ['ASC', 'DESC'] as const) {
      const seen: string[] = []
      for await (const p of paginateListTaskDefinitions({client: ecs, pageSize: 7}, {familyPrefix: 'web', sort, status: 'INACTIVE'})) {
        seen.push(...revs(p.taskDefinitionArns).map(String))
      }

      expect(seen).to.have.length(200)
      expect(new Set(seen).size).to.equal(200)
      expect(seen[0]).to.equal(sort === 'ASC' ? 'web:1' : 'web:200')
    }
  })

  it('validates maxResults and nextToken', async () => {
    for (const maxResults of [0, 101]) {
      const e = await failure(ecs.send(new ListTaskDefinitionsCommand({maxResults})))
      expect(e.name).to.equal('InvalidParameterException')
    }

    expect((await failure(ecs.send(new ListTaskDefinitionsCommand({nextToken: 'garbage'})))).name).to.equal('InvalidParameterException')
    const first = await ecs.send(new ListTaskDefinitionsCommand({familyPrefix: 'web', maxResults: 1}))
    // A token is bound to its filters and its operation.
    const other = await failure(ecs.send(new ListTaskDefinitionsCommand({familyPrefix: 'web', nextToken: first.nextToken, status: 'INACTIVE'})))
    expect(other.name).to.equal('InvalidParameterException')
    const otherOp = await failure(ecs.send(new ListTaskDefinitionFamiliesCommand({nextToken: first.nextToken})))
    expect(otherOp.name).to.equal('InvalidParameterException')
  })

  it('lists families: ALL by default, ACTIVE, INACTIVE (no ACTIVE revision left), by prefix', async () => {
    const all = await ecs.send(new ListTaskDefinitionFamiliesCommand({}))
    expect(all.families).to.include.members(['web', 'webhook', 'old'])
    const active = await ecs.send(new ListTaskDefinitionFamiliesCommand({status: 'ACTIVE'}))
    expect(active.families).to.not.include('old')
    const inactive = await ecs.send(new ListTaskDefinitionFamiliesCommand({status: 'INACTIVE'}))
    expect(inactive.families).to.deep.equal(['old'])
    const prefixed = await ecs.send(new ListTaskDefinitionFamiliesCommand({familyPrefix: 'web'}))
    expect(prefixed.families).to.deep.equal(['web', 'webhook'])
  })

  it('deregisters (ACTIVE → INACTIVE) and deletes (at most 10, ACTIVE ones in failures)', async () => {
    await ecs.send(new RegisterTaskDefinitionCommand({containerDefinitions: [container()], family: 'gone'}))
    await ecs.send(new RegisterTaskDefinitionCommand({containerDefinitions: [container()], family: 'gone'}))
    const dereg = await ecs.send(new DeregisterTaskDefinitionCommand({taskDefinition: 'gone:1'}))
    expect(dereg.taskDefinition?.status).to.equal('INACTIVE')
    expect(dereg.taskDefinition?.deregisteredAt).to.be.instanceOf(Date)
    const res = await ecs.send(new DeleteTaskDefinitionsCommand({taskDefinitions: ['gone:1', 'gone:2', 'gone:9']}))
    expect(res.taskDefinitions?.map((t) => [t.revision, t.status])).to.deep.equal([[1, 'DELETE_IN_PROGRESS']])
    expect(res.failures?.map((f) => f.arn?.split('/').at(-1))).to.deep.equal(['gone:2', 'gone:9'])
    expect(res.failures?.[0].reason).to.contain('ACTIVE')
    // Unused: gone at once. Numbers keep growing.
    const left = await ecs.send(new ListTaskDefinitionsCommand({familyPrefix: 'gone', status: 'DELETE_IN_PROGRESS'}))
    expect(left.taskDefinitionArns).to.deep.equal([])
    expect((await failure(ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: 'gone:1'})))).name).to.equal('ClientException')
    const next = await ecs.send(new RegisterTaskDefinitionCommand({containerDefinitions: [container()], family: 'gone'}))
    expect(next.taskDefinition?.revision).to.equal(3)
    const tooMany = await failure(ecs.send(new DeleteTaskDefinitionsCommand({taskDefinitions: Array.from({length: 11}, (_, i) => `web:${i + 1}`)})))
    expect(tooMany.name).to.equal('InvalidParameterException')
    const none = await failure(ecs.send(new DeleteTaskDefinitionsCommand({taskDefinitions: []})))
    expect(none.name).to.equal('InvalidParameterException')
    const noRevision = await failure(ecs.send(new DeregisterTaskDefinitionCommand({taskDefinition: 'gone'})))
    expect(noRevision.name).to.equal('InvalidParameterException')
  })
})
