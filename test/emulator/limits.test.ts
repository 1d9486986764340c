import {
  DeleteTaskDefinitionsCommand,
  DescribeClustersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListClustersCommand,
  ListServiceDeploymentsCommand,
  ListServicesCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  paginateListClusters,
  paginateListTaskDefinitionFamilies,
} from '@aws-sdk/client-ecs'
import {
  CreateEventBusCommand,
  type EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge'
import {expect} from 'chai'

import {clients, failure, rawCall} from './contract-helpers.js'
import {type Emulator, type Scenario, startEmulator} from './index.js'

const pad = (i: number) => String(i).padStart(3, '0')

/**
 * Just past every default page size: 101 clusters, 101 families (121 revisions), 11 services,
 * more than 100 tasks in prod, 21 deployment records of prod/web.
 */
const scenario: Scenario = {
  clusters: [
    {
      name: 'prod',
      services: [
        {desiredCount: 1, history: Array.from({length: 20}, (_, i) => `web:${i + 1}`), name: 'web', taskDefinition: 'web:21'},
        ...Array.from({length: 10}, (_, i) => ({desiredCount: 0, name: `svc-${pad(i)}`, taskDefinition: 'web:21'})),
      ],
      tasks: [{count: 101, taskDefinition: 'fam-000:1'}],
    },
    ...Array.from({length: 100}, (_, i) => ({name: `c-${pad(i)}`})),
  ],
  families: [{family: 'web', revisions: 21}, ...Array.from({length: 100}, (_, i) => ({family: `fam-${pad(i)}`, revisions: 1}))],
}

interface Page {
  items: unknown[]
  nextToken?: string
}

/** One List operation, called through the real SDK client: a page size and a token in, a page out. */
interface ListCase {
  operation: string
  /** AWS's default page size (EventBridge documents none). */
  defaultSize?: number
  total: number
  call: (size?: number, token?: string) => Promise<Page>
}

/** Every item of a list, following the tokens page by page. */
async function all(c: ListCase, size: number): Promise<unknown[]> {
  const items: unknown[] = []
  let token: string | undefined
  do {
    const p = await c.call(size, token)
    items.push(...p.items)
    token = p.nextToken
  } while (token)
  return items
}

describe('emulator list and describe limits', () => {
  let em: Emulator
  let ecs: ECSClient
  let events: EventBridgeClient
  before(async () => {
    em = await startEmulator({scenario})
    ;({ecs, events} = clients(em))
    for (let i = 0; i < 5; i++) await events.send(new PutRuleCommand({Name: `r-${i}`, ScheduleExpression: 'rate(1 day)'}))
    for (let i = 0; i < 3; i++) {
      const batch = Array.from({length: 5}, (_, j) => ({Arn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod', Id: `t${i * 5 + j}`}))
      await events.send(new PutTargetsCommand({Rule: 'r-0', Targets: batch}))
    }

    for (const Name of ['ops', 'staging']) await events.send(new CreateEventBusCommand({Name}))
  })
  after(async () => {
    await em.stop()
  })

  const ecsLists: ListCase[] = [
    {
      async call(maxResults, nextToken) {
        const p = await ecs.send(new ListClustersCommand({maxResults, nextToken}))
        return {items: p.clusterArns ?? [], nextToken: p.nextToken}
      },
      defaultSize: 100,
      operation: 'ListClusters',
      total: 101,
    },
    {
      async call(maxResults, nextToken) {
        const p = await ecs.send(new ListServicesCommand({cluster: 'prod', maxResults, nextToken}))
        return {items: p.serviceArns ?? [], nextToken: p.nextToken}
      },
      defaultSize: 10,
      operation: 'ListServices',
      total: 11,
    },
    {
      async call(maxResults, nextToken) {
        const p = await ecs.send(new ListTasksCommand({cluster: 'prod', maxResults, nextToken}))
        return {items: p.taskArns ?? [], nextToken: p.nextToken}
      },
      defaultSize: 100,
      operation: 'ListTasks',
      total: 102, // 101 standalone + web's one
    },
    {
      async call(maxResults, nextToken) {
        const p = await ecs.send(new ListTaskDefinitionsCommand({maxResults, nextToken}))
        return {items: p.taskDefinitionArns ?? [], nextToken: p.nextToken}
      },
      defaultSize: 100,
      operation: 'ListTaskDefinitions',
      total: 121,
    },
    {
      async call(maxResults, nextToken) {
        const p = await ecs.send(new ListTaskDefinitionFamiliesCommand({maxResults, nextToken}))
        return {items: p.families ?? [], nextToken: p.nextToken}
      },
      defaultSize: 100,
      operation: 'ListTaskDefinitionFamilies',
      total: 101,
    },
    {
      async call(maxResults, nextToken) {
        const p = await ecs.send(new ListServiceDeploymentsCommand({cluster: 'prod', maxResults, nextToken, service: 'web'}))
        return {items: p.serviceDeployments ?? [], nextToken: p.nextToken}
      },
      defaultSize: 20,
      operation: 'ListServiceDeployments',
      total: 21,
    },
  ]

  const eventLists: ListCase[] = [
    {
      async call(Limit, NextToken) {
        const p = await events.send(new ListRulesCommand({Limit, NextToken}))
        return {items: p.Rules ?? [], nextToken: p.NextToken}
      },
      operation: 'ListRules',
      total: 5,
    },
    {
      async call(Limit, NextToken) {
        const p = await events.send(new ListTargetsByRuleCommand({Limit, NextToken, Rule: 'r-0'}))
        return {items: p.Targets ?? [], nextToken: p.NextToken}
      },
      operation: 'ListTargetsByRule',
      total: 15,
    },
    {
      async call(Limit, NextToken) {
        const p = await events.send(new ListEventBusesCommand({Limit, NextToken}))
        return {items: p.EventBuses ?? [], nextToken: p.NextToken}
      },
      operation: 'ListEventBuses',
      total: 3,
    },
  ]

  // Each service answers a bad page size or token with its own validation error.
  for (const [lists, invalid] of [
    [ecsLists, 'InvalidParameterException'],
    [eventLists, 'ValidationException'],
  ] as const) {
    for (const [n, c] of lists.entries()) {
      describe(c.operation, () => {
        if (c.defaultSize !== undefined) {
          const size = c.defaultSize
          it(`answers ${size} items by default, then a nextToken`, async () => {
            const first = await c.call()
            expect(first.items).to.have.length(size)
            expect(first.nextToken).to.be.a('string')
          })
        }

        it('takes page sizes 1 to 100 and pages through every item once', async () => {
          const one = await c.call(1)
          expect(one.items).to.have.length(1)
          expect((await c.call(100)).items).to.have.length(Math.min(100, c.total))
          const items = await all(c, 7)
          expect(items).to.have.length(c.total)
          expect(new Set(items.map((x) => JSON.stringify(x))).size).to.equal(c.total)
        })

        it(`refuses a page size of 0, 101 or -1 with ${invalid}`, async () => {
          for (const bad of [0, 101, -1]) {
            const e = await failure(c.call(bad))
            expect(e.name, String(bad)).to.equal(invalid)
            expect(e.$metadata?.httpStatusCode).to.equal(400)
          }
        })

        it(`refuses a garbage token, a tampered one and one from another operation with ${invalid}`, async () => {
          const real = (await c.call(1)).nextToken ?? ''
          const other = (await lists[(n + 1) % lists.length].call(1)).nextToken ?? ''
          expect(real).to.not.equal('')
          expect(other).to.not.equal('')
          for (const token of ['garbage', 'eyJ9.AAAA', `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`, other]) {
            const e = await failure(c.call(undefined, token))
            expect(e.name, token).to.equal(invalid)
            expect(e.$metadata?.httpStatusCode).to.equal(400)
          }
        })
      })
    }
  }

  it('ListClusters and ListTaskDefinitionFamilies page through everything once with the SDK paginators', async () => {
    const clusters: string[] = []
    for await (const p of paginateListClusters({client: ecs, pageSize: 5}, {})) clusters.push(...(p.clusterArns ?? []))
    expect(clusters).to.have.length(101)
    expect(new Set(clusters).size).to.equal(101)
    const families: string[] = []
    for await (const p of paginateListTaskDefinitionFamilies({client: ecs, pageSize: 5}, {})) families.push(...(p.families ?? []))
    expect(families).to.deep.equal([...Array.from({length: 100}, (_, i) => `fam-${pad(i)}`), 'web'])
  })

  /** Describe-style calls with a list of names: the API maximum passes, one more is refused. */
  const batches: {operation: string; max: number; emptyRefused: boolean; call: (names: string[]) => Promise<unknown>}[] = [
    {call: (clusters) => ecs.send(new DescribeClustersCommand({clusters})), emptyRefused: false, max: 100, operation: 'DescribeClusters'},
    {call: (services) => ecs.send(new DescribeServicesCommand({cluster: 'prod', services})), emptyRefused: true, max: 10, operation: 'DescribeServices'},
    {call: (tasks) => ecs.send(new DescribeTasksCommand({cluster: 'prod', tasks})), emptyRefused: true, max: 100, operation: 'DescribeTasks'},
    {
      call: (serviceDeploymentArns) => ecs.send(new DescribeServiceDeploymentsCommand({serviceDeploymentArns})),
      emptyRefused: true,
      max: 20,
      operation: 'DescribeServiceDeployments',
    },
    {
      call: (serviceRevisionArns) => ecs.send(new DescribeServiceRevisionsCommand({serviceRevisionArns})),
      emptyRefused: true,
      max: 20,
      operation: 'DescribeServiceRevisions',
    },
    {
      call: (taskDefinitions) => ecs.send(new DeleteTaskDefinitionsCommand({taskDefinitions})),
      emptyRefused: true,
      max: 10,
      operation: 'DeleteTaskDefinitions',
    },
  ]
  for (const b of batches) {
    it(`${b.operation}: up to ${b.max} names, ${b.max + 1} is InvalidParameterException${b.emptyRefused ? ', and so is none' : ''}`, async () => {
      // Unknown names are fine here: they come back in failures, not as an error.
      const names = (n: number) => Array.from({length: n}, (_, i) => `arn:aws:ecs:eu-west-1:123456789012:ghost/${i}`)
      await b.call(names(b.max))
      expect((await failure(b.call(names(b.max + 1)))).name).to.equal('InvalidParameterException')
      if (b.emptyRefused) expect((await failure(b.call([]))).name).to.equal('InvalidParameterException')
    })
  }

  /** `include` takes the operation's enum values only. */
  const includes: {operation: string; allowed: string[]; call: (include: string[]) => Promise<unknown>}[] = [
    {
      allowed: ['ATTACHMENTS', 'CONFIGURATIONS', 'SETTINGS', 'STATISTICS', 'TAGS'],
      call: (include) => ecs.send(new DescribeClustersCommand({clusters: ['prod'], include: include as never})),
      operation: 'DescribeClusters',
    },
    {allowed: ['TAGS'], call: (include) => ecs.send(new DescribeServicesCommand({cluster: 'prod', include: include as never, services: ['web']})), operation: 'DescribeServices'},
    {allowed: ['TAGS'], call: (include) => ecs.send(new DescribeTasksCommand({cluster: 'prod', include: include as never, tasks: ['deadbeef']})), operation: 'DescribeTasks'},
    {allowed: ['TAGS'], call: (include) => ecs.send(new DescribeTaskDefinitionCommand({include: include as never, taskDefinition: 'web'})), operation: 'DescribeTaskDefinition'},
  ]
  for (const i of includes) {
    it(`${i.operation}: include takes ${i.allowed.join(', ')}; anything else is InvalidParameterException`, async () => {
      await i.call(i.allowed)
      // Values are case-sensitive, and another operation's value (STATISTICS is DescribeClusters') is no good either.
      const others = i.allowed.includes('STATISTICS') ? [] : [['STATISTICS']]
      for (const bad of [['BOGUS'], [...i.allowed, 'tags'], ...others]) {
        expect((await failure(i.call(bad))).name, bad.join()).to.equal('InvalidParameterException')
      }
    })
  }

  it('ListServiceDeployments checks its status values and createdAt timestamps', async () => {
    const list = (extra: object) => ecs.send(new ListServiceDeploymentsCommand({cluster: 'prod', service: 'web', ...extra}))
    const ok = await list({maxResults: 100, status: ['SUCCESSFUL', 'ROLLBACK_FAILED']})
    expect(ok.serviceDeployments).to.have.length(21)
    expect((await failure(list({status: ['BOGUS']}))).name).to.equal('InvalidParameterException')
    expect((await failure(list({status: ['SUCCESSFUL', 'successful']}))).name).to.equal('InvalidParameterException')
    // The history is in the past: none after now, all before it.
    const now = new Date(em.clock.now() + 1000)
    expect((await list({createdAt: {after: now}})).serviceDeployments).to.deep.equal([])
    expect((await list({createdAt: {before: now}, maxResults: 100})).serviceDeployments).to.have.length(21)
    // A timestamp that is not a number does not deserialize (the SDK always sends epoch seconds).
    for (const createdAt of [{after: 'yesterday'}, {before: true}, 'today']) {
      const res = await rawCall(em, 'AmazonEC2ContainerServiceV20141113.ListServiceDeployments', JSON.stringify({cluster: 'prod', createdAt, service: 'web'}))
      expect(res.status).to.equal(400)
      expect(res.json.__type, JSON.stringify(createdAt)).to.equal('SerializationException')
    }
  })
})
