import {
  CreateClusterCommand,
  DescribeClustersCommand,
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
import {ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand} from '@aws-sdk/client-eventbridge'
import {expect} from 'chai'

import {clients, failure} from './contract-helpers.js'
import {type Emulator, startEmulator} from './index.js'

/** maxResults bounds and full pagination of every List operation, table-driven. */
describe('emulator list limits', () => {
  let em: Emulator
  let ecs: ECSClient
  before(async () => {
    em = await startEmulator({
      scenario: {
        clusters: [{name: 'prod', services: [{name: 'web', taskDefinition: 'fam-00:1'}]}],
        families: Array.from({length: 12}, (_, i) => ({family: `fam-${String(i).padStart(2, '0')}`, revisions: 1})),
      },
    })
    ecs = clients(em).ecs
    for (let i = 0; i < 11; i++) await ecs.send(new CreateClusterCommand({clusterName: `c-${i}`}))
  })
  after(async () => {
    await em.stop()
  })

  const bounded: [string, (maxResults: number) => Promise<unknown>][] = [
    ['ListClusters', (maxResults) => ecs.send(new ListClustersCommand({maxResults}))],
    ['ListServices', (maxResults) => ecs.send(new ListServicesCommand({cluster: 'prod', maxResults}))],
    ['ListTasks', (maxResults) => ecs.send(new ListTasksCommand({cluster: 'prod', maxResults}))],
    ['ListTaskDefinitions', (maxResults) => ecs.send(new ListTaskDefinitionsCommand({maxResults}))],
    ['ListTaskDefinitionFamilies', (maxResults) => ecs.send(new ListTaskDefinitionFamiliesCommand({maxResults}))],
    ['ListServiceDeployments', (maxResults) => ecs.send(new ListServiceDeploymentsCommand({cluster: 'prod', maxResults, service: 'web'}))],
  ]
  for (const [operation, call] of bounded) {
    it(`${operation}: maxResults 1 and 100 are fine, 0 and 101 are InvalidParameterException`, async () => {
      await call(1)
      await call(100)
      for (const bad of [0, 101]) expect((await failure(call(bad))).name).to.equal('InvalidParameterException')
    })
  }

  it('ListClusters and ListTaskDefinitionFamilies page through everything once', async () => {
    const clusters: string[] = []
    for await (const p of paginateListClusters({client: ecs, pageSize: 5}, {})) clusters.push(...(p.clusterArns ?? []))
    expect(clusters).to.have.length(12)
    expect(new Set(clusters).size).to.equal(12)
    const families: string[] = []
    for await (const p of paginateListTaskDefinitionFamilies({client: ecs, pageSize: 5}, {})) families.push(...(p.families ?? []))
    expect(families).to.deep.equal(Array.from({length: 12}, (_, i) => `fam-${String(i).padStart(2, '0')}`))
  })

  it('DescribeClusters takes at most 100 names', async () => {
    const e = await failure(ecs.send(new DescribeClustersCommand({clusters: Array.from({length: 101}, (_, i) => `c-${i}`)})))
    expect(e.name).to.equal('InvalidParameterException')
  })

  it('ListTargetsByRule pages targets and bounds Limit', async () => {
    const {events} = clients(em)
    await events.send(new PutRuleCommand({Name: 'many', ScheduleExpression: 'rate(1 day)'}))
    for (let i = 0; i < 3; i++) {
      const batch = Array.from({length: 5}, (_, j) => ({Arn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod', Id: `t${i * 5 + j}`}))
      await events.send(new PutTargetsCommand({Rule: 'many', Targets: batch}))
    }

    const ids: string[] = []
    let NextToken: string | undefined
    do {
      const p = await events.send(new ListTargetsByRuleCommand({Limit: 4, NextToken, Rule: 'many'}))
      ids.push(...(p.Targets ?? []).map((t) => t.Id ?? ''))
      NextToken = p.NextToken
    } while (NextToken)
    expect(new Set(ids).size).to.equal(15)
    expect((await failure(events.send(new ListTargetsByRuleCommand({Limit: 0, Rule: 'many'})))).name).to.equal('ValidationException')
  })
})
