import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListClustersCommand,
  ListTaskDefinitionsCommand,
  paginateListTaskDefinitions,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs'
import {ListEventBusesCommand, ListRulesCommand, ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand} from '@aws-sdk/client-eventbridge'
import {expect} from 'chai'

import {clients, failure, withEmulator} from './contract-helpers.js'
import {type Emulator, startEmulator} from './index.js'
import {parseRange} from './scenarios/load.js'

describe('emulator scenarios', () => {
  describe('demo', () => {
    let em: Emulator
    before(async () => {
      em = await startEmulator({scenario: 'demo'})
    })
    after(async () => {
      await em.stop()
    })

    it('has a few clusters and a dozen services with running tasks', async () => {
      const {ecs} = clients(em)
      const list = await ecs.send(new ListClustersCommand({}))
      expect(list.clusterArns?.map((a) => a.split('/').at(-1))).to.deep.equal(['ops', 'prod', 'staging'])
      const d = await ecs.send(new DescribeClustersCommand({clusters: ['prod', 'staging', 'ops', 'ghost']}))
      const services = d.clusters?.reduce((n, c) => n + (c.activeServicesCount ?? 0), 0)
      expect(services).to.equal(12)
      expect(d.clusters?.find((c) => c.clusterName === 'prod')?.runningTasksCount).to.be.greaterThan(10)
      expect(d.failures).to.deep.equal([{arn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/ghost', reason: 'MISSING'}])
    })

    it('has a 600-revision family with ACTIVE, INACTIVE and deleted revisions', async () => {
      const {ecs} = clients(em)
      const count = async (status: 'ACTIVE' | 'INACTIVE') => {
        let n = 0
        for await (const p of paginateListTaskDefinitions({client: ecs}, {familyPrefix: 'web', status})) n += p.taskDefinitionArns?.length ?? 0
        return n
      }

      expect(await count('ACTIVE')).to.equal(60)
      expect(await count('INACTIVE')).to.equal(440)
      expect((await failure(ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: 'web:50'})))).name).to.equal('ClientException')
      const one = await ecs.send(new ListTaskDefinitionsCommand({familyPrefix: 'migrate'}))
      expect(one.taskDefinitionArns).to.have.length(1)
      // Deleted while a task still runs it: DELETE_IN_PROGRESS; its unused sibling is gone.
      const dip = await ecs.send(new ListTaskDefinitionsCommand({familyPrefix: 'search', status: 'DELETE_IN_PROGRESS'}))
      expect(dip.taskDefinitionArns?.map((a) => a.split('/').at(-1))).to.deep.equal(['search:152'])
    })

    it('has exec disabled on one service, CODE_DEPLOY on another, and a broken revision', async () => {
      const {ecs} = clients(em)
      const staging = await ecs.send(new DescribeServicesCommand({cluster: 'staging', services: ['legacy-admin']}))
      expect(staging.services?.[0].enableExecuteCommand).to.equal(false)
      const prod = await ecs.send(new DescribeServicesCommand({cluster: 'prod', services: ['payments', 'checkout']}))
      expect(prod.services?.[0].deploymentController?.type).to.equal('CODE_DEPLOY')
      await ecs.send(new UpdateServiceCommand({cluster: 'prod', service: 'checkout', taskDefinition: 'checkout:14'}))
      em.advance(10 * 60_000)
      const after = await ecs.send(new DescribeServicesCommand({cluster: 'prod', services: ['checkout']}))
      expect(after.services?.[0].taskDefinition).to.match(/checkout:13$/)
      expect(after.services?.[0].events?.some((e) => e.message?.includes('deployment failed'))).to.equal(true)
    })

    it('has scheduled tasks as EventBridge rule targets', async () => {
      const {events} = clients(em)
      const rules = await events.send(new ListRulesCommand({}))
      expect(rules.Rules?.map((r) => r.Name)).to.include.members(['nightly-report', 'weekly-cleanup'])
      const targets = await events.send(new ListTargetsByRuleCommand({Rule: 'nightly-report'}))
      expect(targets.Targets?.[0].EcsParameters?.TaskDefinitionArn).to.equal('arn:aws:ecs:eu-west-1:123456789012:task-definition/report')
      const missing = await failure(events.send(new ListTargetsByRuleCommand({Rule: 'ghost'})))
      expect(missing.name).to.equal('ResourceNotFoundException')
      const page = await events.send(new ListRulesCommand({Limit: 1}))
      expect(page.Rules).to.have.length(1)
      expect(page.NextToken).to.be.a('string')
      expect((await failure(events.send(new ListRulesCommand({Limit: 101})))).name).to.equal('ValidationException')
      const buses = await events.send(new ListEventBusesCommand({Limit: 100}))
      expect(buses.EventBuses?.map((b) => b.Name)).to.deep.equal(['default'])
    })
  })

  it('loads the large scenario quickly from its compact description', async () => {
    const t0 = performance.now()
    const em = await startEmulator({scenario: 'large'})
    const ms = performance.now() - t0
    try {
      let revisions = 0
      let services = 0
      let tasks = 0
      for (const f of em.account.families.values()) revisions += f.revisions.size
      for (const c of em.account.clusters.values()) {
        services += c.services.size
        tasks += c.tasks.size
      }

      expect(revisions).to.be.greaterThanOrEqual(5000)
      expect(services).to.be.greaterThanOrEqual(300)
      expect(tasks).to.be.greaterThanOrEqual(3000)
      expect(ms).to.be.lessThan(5000)
    } finally {
      await em.stop()
    }
  })

  it('builds a scenario in code and seeds rules through the SDK', async () => {
    await withEmulator({scenario: {clusters: [{name: 'c1'}], families: [{family: 'f', revisions: 2}]}}, async (em) => {
      const {events} = clients(em)
      await events.send(new PutRuleCommand({Name: 'r1', ScheduleExpression: 'rate(1 hour)'}))
      await events.send(new PutTargetsCommand({Rule: 'r1', Targets: [{Arn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/c1', EcsParameters: {TaskDefinitionArn: 'f:2'}, Id: 't'}]}))
      const t = await events.send(new ListTargetsByRuleCommand({Rule: 'r1'}))
      expect(t.Targets?.[0].EcsParameters?.TaskDefinitionArn).to.equal('f:2')
    })
  })

  it('parses revision ranges', () => {
    expect([...parseRange('1-3,7')]).to.deep.equal([1, 2, 3, 7])
    expect([...parseRange([4, 5])]).to.deep.equal([4, 5])
    expect(() => parseRange('x')).to.throw(/Bad revision range/)
  })

  it('refuses an unknown scenario name', async () => {
    const e = await failure(startEmulator({scenario: 'nope'}))
    expect(e.message).to.contain('Unknown scenario')
  })
})
