import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs'
import {EventBridgeClient, ListEventBusesCommand, ListRulesCommand, ListTargetsByRuleCommand} from '@aws-sdk/client-eventbridge'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import {expect} from 'chai'

import {listRevisions} from '../../../src/lib/prune/revisions.js'
import {scanUsage} from '../../../src/lib/prune/usage.js'

const TD = (f: string, n?: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/${f}${n === undefined ? '' : `:${n}`}`
const CLUSTER = (n: string) => `arn:aws:ecs:eu-west-1:123456789012:cluster/${n}`

describe('prune usage scan', () => {
  let ecsMock: AwsClientStub<ECSClient>
  let ebMock: AwsClientStub<EventBridgeClient>
  // Installed per suite and removed after it: the mocks patch the clients for the whole process.
  before(() => {
    ecsMock = mockClient(ECSClient)
    ebMock = mockClient(EventBridgeClient)
  })
  after(() => {
    ecsMock.restore()
    ebMock.restore()
  })
  const events = async () => new EventBridgeClient({})

  beforeEach(() => {
    ecsMock.reset()
    ebMock.reset()
    ecsMock.on(ListClustersCommand).resolvesOnce({clusterArns: [CLUSTER('a')], nextToken: 'p2'}).resolves({clusterArns: [CLUSTER('b')]})
    ecsMock.on(ListServicesCommand).resolves({serviceArns: ['svc']})
    ecsMock.on(DescribeServicesCommand, {cluster: CLUSTER('a')}).resolves({
      services: [
        {
          deployments: [
            {status: 'PRIMARY', taskDefinition: TD('web', 9)},
            {status: 'ACTIVE', taskDefinition: TD('web', 7)},
          ],
          serviceName: 'api',
          taskDefinition: TD('web', 9),
          taskSets: [{id: 'ts-1', taskDefinition: TD('web', 5)}],
        },
      ],
    })
    ecsMock.on(DescribeServicesCommand, {cluster: CLUSTER('b')}).resolves({services: [{serviceName: 'other', taskDefinition: TD('api', 1)}]})
    ecsMock.on(ListTasksCommand, {desiredStatus: 'RUNNING'}).resolves({taskArns: ['t-run']})
    ecsMock.on(ListTasksCommand, {desiredStatus: 'STOPPED'}).resolves({taskArns: ['t-stopping', 't-stopped']})
    ecsMock.on(DescribeTasksCommand).callsFake(async (input) => ({
      tasks: input.tasks.map((t: string) =>
        t === 't-run'
          ? {desiredStatus: 'RUNNING', lastStatus: 'RUNNING', taskArn: `x/${t}`, taskDefinitionArn: TD('web', 3)}
          : t === 't-stopping'
            ? {desiredStatus: 'STOPPED', lastStatus: 'DEACTIVATING', taskArn: `x/${t}`, taskDefinitionArn: TD('web', 2)}
            : {desiredStatus: 'STOPPED', lastStatus: 'STOPPED', taskArn: `x/${t}`, taskDefinitionArn: TD('web', 1)},
      ),
    }))
    ebMock.on(ListEventBusesCommand).resolves({EventBuses: [{Name: 'default'}, {Name: 'ops'}]})
    ebMock.on(ListRulesCommand, {EventBusName: 'default'}).resolves({Rules: [{Name: 'nightly'}]})
    ebMock.on(ListRulesCommand, {EventBusName: 'ops'}).resolves({Rules: [{Name: 'hourly'}]})
    ebMock.on(ListTargetsByRuleCommand, {Rule: 'nightly'}).resolves({Targets: [{Arn: 'c', EcsParameters: {TaskDefinitionArn: TD('web', 4)}, Id: '1'}]})
    ebMock.on(ListTargetsByRuleCommand, {Rule: 'hourly'}).resolves({Targets: [{Arn: 'c', EcsParameters: {TaskDefinitionArn: TD('web')}, Id: '2'}, {Arn: 'q', Id: '3'}]})
  })

  it('finds deployments, task sets, live tasks and rule targets in every cluster (all pages)', async () => {
    const scan = await scanUsage(new ECSClient({}), events, {families: new Set(['web']), scope: {kind: 'all'}})
    expect([...scan.usage.revisions.keys()].sort()).to.deep.equal(['web:2', 'web:3', 'web:4', 'web:5', 'web:7', 'web:9'])
    expect(scan.usage.revisions.get('web:7')).to.deep.equal(['service a/api (ACTIVE)'])
    expect(scan.usage.familyLatest.get('web')).to.deep.equal(['rule ops/hourly (target 2)'])
    expect(scan.stats.clusters).to.equal(2)
    expect(scan.unreadable).to.deep.equal([])
    // One family: ListTasks is filtered by it.
    expect(ecsMock.commandCalls(ListTasksCommand).every((c) => c.args[0].input.family === 'web')).to.equal(true)
  })

  it('--cluster narrows the scan and skips ListClusters', async () => {
    const scan = await scanUsage(new ECSClient({}), events, {rules: false, scope: {clusters: [CLUSTER('b')], kind: 'clusters'}})
    expect(ecsMock.commandCalls(ListClustersCommand)).to.have.length(0)
    expect(scan.usage.revisions.has('api:1')).to.equal(true)
    expect(scan.usage.revisions.has('web:9')).to.equal(false)
    expect(ebMock.calls()).to.have.length(0)
  })

  it('reports an unreadable source (AccessDenied) instead of treating it as unused', async () => {
    ebMock.on(ListEventBusesCommand).rejects(Object.assign(new Error('User is not authorized to perform: events:ListEventBuses'), {name: 'AccessDeniedException'}))
    const scan = await scanUsage(new ECSClient({}), events, {scope: {kind: 'all'}})
    expect(scan.unreadable.map((u) => u.source)).to.deep.equal(['EventBridge rule targets'])
  })

  it('rethrows other errors', async () => {
    ecsMock.on(ListServicesCommand).rejects(Object.assign(new Error('boom'), {name: 'ServerException'}))
    let error: any
    await scanUsage(new ECSClient({}), events, {scope: {kind: 'all'}}).catch((e) => (error = e))
    expect(error?.name).to.equal('ServerException')
  })

  it('a read that fails ends the scan: no other cluster is started and no call outlives it', async () => {
    const clusters = Array.from({length: 40}, (_, i) => CLUSTER(`c${i}`))
    ecsMock.on(ListServicesCommand, {cluster: clusters[0]}).rejects(Object.assign(new Error('boom'), {name: 'ServerException'}))
    let error: any
    await scanUsage(new ECSClient({}), events, {scope: {clusters, kind: 'clusters'}}).catch((e) => (error = e))
    expect(error?.name).to.equal('ServerException')
    const made = ecsMock.calls().length
    // At most the 8 clusters already under way read on; the 32 waiting never start.
    expect(ecsMock.commandCalls(ListServicesCommand).length).to.be.at.most(8)
    await new Promise((resolve) => {
      setTimeout(resolve, 50)
    })
    expect(ecsMock.calls().length).to.equal(made)
  })

  it('a scan the caller stops rejects, whether stopped before it began or half-way: a partial usage is no answer', async () => {
    const clusters = Array.from({length: 20}, (_, i) => CLUSTER(`c${i}`))
    const before = new AbortController()
    before.abort()
    let error: any
    await scanUsage(new ECSClient({}), events, {rules: false, scope: {clusters, kind: 'clusters'}, signal: before.signal}).catch((e) => (error = e))
    expect(error?.name).to.equal('AbortError')

    const halfway = new AbortController()
    ecsMock.on(ListServicesCommand).callsFake(async () => {
      halfway.abort()
      return {serviceArns: []}
    })
    error = undefined
    const result = await scanUsage(new ECSClient({}), events, {rules: false, scope: {clusters, kind: 'clusters'}, signal: halfway.signal}).catch((e) => (error = e))
    expect(error?.name, JSON.stringify(result)).to.equal('AbortError')
    expect(ecsMock.commandCalls(ListServicesCommand).length).to.be.below(clusters.length)
  })

  it('scope none reads no cluster but still the EventBridge rule targets', async () => {
    const scan = await scanUsage(new ECSClient({}), events, {families: new Set(['web']), scope: {kind: 'none'}})
    expect(ecsMock.calls()).to.have.length(0)
    expect(scan.usage.revisions.get('web:4')).to.deep.equal(['rule default/nightly (target 1)'])
    expect(scan.usage.familyLatest.get('web')).to.deep.equal(['rule ops/hourly (target 2)'])
    expect(scan.stats).to.include({clusters: 0, ruleTargets: 2})
  })

  it('rules: false with scope none reads nothing', async () => {
    await scanUsage(new ECSClient({}), events, {rules: false, scope: {kind: 'none'}})
    expect(ecsMock.calls()).to.have.length(0)
    expect(ebMock.calls()).to.have.length(0)
  })

  it('an unreadable source is reported once, though a cluster is read in two passes', async () => {
    ecsMock.on(ListTasksCommand).rejects(Object.assign(new Error('User is not authorized to perform: ecs:ListTasks'), {name: 'AccessDeniedException'}))
    const scan = await scanUsage(new ECSClient({}), events, {scope: {clusters: [CLUSTER('a')], kind: 'clusters'}})
    expect(scan.unreadable.map((u) => u.source)).to.deep.equal(['tasks of cluster a'])
  })

  it('lists ACTIVE and INACTIVE revisions, newest first', async () => {
    ecsMock.on(ListTaskDefinitionsCommand, {status: 'ACTIVE'}).resolvesOnce({nextToken: 'n', taskDefinitionArns: [TD('web', 9)]}).resolves({taskDefinitionArns: [TD('web', 4)]})
    ecsMock.on(ListTaskDefinitionsCommand, {status: 'INACTIVE'}).resolves({taskDefinitionArns: [TD('web', 5), TD('web-other', 1)]})
    const revs = await listRevisions(new ECSClient({}), 'web')
    expect(revs.map((r) => `${r.revision}:${r.status}`)).to.deep.equal(['9:ACTIVE', '5:INACTIVE', '4:ACTIVE'])
  })
})
