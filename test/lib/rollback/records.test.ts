import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  type ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs'
import {mockClient} from 'aws-sdk-client-mock'
import {expect} from 'chai'

import {lastSuccessfulRevision, previousRevision} from '../../../src/lib/rollback/records.js'

const TD = (n: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${n}`
const SD = (id: string) => `arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/web/${id}`
const SR = (id: string) => `arn:aws:ecs:eu-west-1:123456789012:service-revision/prod/web/${id}`
const CLUSTER = 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod'
const ecs = new ECSClient({region: 'eu-west-1'})
let mock: ReturnType<typeof mockClient>

interface Record {
  id: string
  status: ServiceDeploymentStatus
  /** Revision deployed, and the revisions that ran when it started. */
  target: number
  sources: number[]
}

/**
 * ECS's deployment records as the mock serves them, newest first: ListServiceDeployments
 * (honouring the status filter), DescribeServiceDeployments and DescribeServiceRevisions. A
 * service revision is named `<record id>-<revision>`, as each deployment makes its own.
 */
function serve(records: Record[]) {
  const revisions = new Map<string, number>()
  for (const r of records) {
    revisions.set(SR(`${r.id}-${r.target}`), r.target)
    for (const s of r.sources) revisions.set(SR(`${r.id}-src-${s}`), s)
  }

  mock.on(ListServiceDeploymentsCommand).callsFake((input: {status?: string[]}) => ({
    serviceDeployments: records
      .filter((r) => !input.status || input.status.includes(r.status))
      .map((r) => ({serviceDeploymentArn: SD(r.id), status: r.status, targetServiceRevisionArn: SR(`${r.id}-${r.target}`)})),
  }))
  mock.on(DescribeServiceDeploymentsCommand).callsFake((input: {serviceDeploymentArns: string[]}) => ({
    serviceDeployments: records
      .filter((r) => input.serviceDeploymentArns.includes(SD(r.id)))
      .map((r) => ({
        serviceDeploymentArn: SD(r.id),
        sourceServiceRevisions: r.sources.map((s) => ({arn: SR(`${r.id}-src-${s}`), runningTaskCount: 2})),
        status: r.status,
      })),
  }))
  mock.on(DescribeServiceRevisionsCommand).callsFake((input: {serviceRevisionArns: string[]}) => ({
    serviceRevisions: input.serviceRevisionArns.filter((a) => revisions.has(a)).map((a) => ({serviceRevisionArn: a, taskDefinition: TD(revisions.get(a)!)})),
  }))
}

const service = (current: number, deployments: object[] = [{rolloutState: 'COMPLETED', runningCount: 2, status: 'PRIMARY', taskDefinition: TD(current)}]) => ({
  clusterArn: CLUSTER,
  deployments,
  serviceName: 'web',
  taskDefinition: TD(current),
})

describe('deployment records (--previous, last successful)', () => {
  before(() => {
    mock = mockClient(ECSClient)
  })
  beforeEach(() => mock.reset())
  after(() => mock.restore())

  it('takes the old deployment while one is still rolling out, without any call', async () => {
    const previous = await previousRevision(
      ecs,
      service(245, [
        {rolloutState: 'IN_PROGRESS', status: 'PRIMARY', taskDefinition: TD(245)},
        {rolloutState: 'COMPLETED', runningCount: 3, status: 'ACTIVE', taskDefinition: TD(244)},
      ]),
    )
    expect(previous).to.deep.equal({arn: TD(244), basis: 'deployment-in-progress', family: 'web', revision: 244})
    expect(mock.calls()).to.have.length(0)
  })

  // The audit's sequence: 13 → 10 by taskonaut (lands), then 10 → 14, which the circuit breaker
  // undoes. The records say 10 came from 13; the broken 14 must never be proposed.
  const afterBreaker: Record[] = [
    {id: 'to14', sources: [10], status: 'ROLLBACK_IN_PROGRESS', target: 14},
    {id: 'to10', sources: [13], status: 'SUCCESSFUL', target: 10},
    {id: 'to13', sources: [12], status: 'SUCCESSFUL', target: 13},
  ]

  it('while a circuit-breaker rollback is in progress: skips the FAILED deployment and reads the records', async () => {
    serve(afterBreaker)
    const previous = await previousRevision(
      ecs,
      service(10, [
        {rolloutState: 'IN_PROGRESS', runningCount: 2, status: 'PRIMARY', taskDefinition: TD(10)},
        {failedTasks: 4, rolloutState: 'FAILED', runningCount: 0, status: 'ACTIVE', taskDefinition: TD(14)},
      ]),
    )
    expect(previous).to.deep.equal({arn: TD(13), basis: 'deployment-record', family: 'web', revision: 13})
  })

  it('skips an old deployment that never got a task running, even before ECS marks it FAILED', async () => {
    serve(afterBreaker)
    const previous = await previousRevision(
      ecs,
      service(10, [
        {rolloutState: 'IN_PROGRESS', runningCount: 2, status: 'PRIMARY', taskDefinition: TD(10)},
        {failedTasks: 2, rolloutState: 'IN_PROGRESS', runningCount: 0, status: 'ACTIVE', taskDefinition: TD(14)},
      ]),
    )
    expect(previous?.revision).to.equal(13)
  })

  it('once the rollback is done: walks back to the record that deployed the current revision', async () => {
    serve(afterBreaker.map((r) => (r.id === 'to14' ? {...r, status: 'ROLLBACK_SUCCESSFUL' as const} : r)))
    const previous = await previousRevision(ecs, service(10))
    expect(previous).to.deep.equal({arn: TD(13), basis: 'deployment-record', family: 'web', revision: 13})
  })

  it('looks past a redeployment of the same revision (force new deployment names only itself)', async () => {
    serve([
      {id: 'force', sources: [10], status: 'SUCCESSFUL', target: 10},
      {id: 'to10', sources: [9], status: 'SUCCESSFUL', target: 10},
    ])
    expect((await previousRevision(ecs, service(10)))?.revision).to.equal(9)
  })

  it('falls back to the next older ACTIVE revision, saying the records do not tell, when they name no source', async () => {
    serve([{id: 'create', sources: [], status: 'SUCCESSFUL', target: 245}])
    mock.on(ListTaskDefinitionsCommand).resolves({taskDefinitionArns: [TD(246), TD(245), TD(243), TD(240)]})
    const previous = await previousRevision(ecs, service(245))
    expect(previous).to.deep.equal({arn: TD(243), basis: 'next-older-active-unrecorded', family: 'web', revision: 243})
  })

  it('says ECS keeps no record only when the deployment APIs are not there', async () => {
    mock.on(ListServiceDeploymentsCommand).rejects(Object.assign(new Error('Unknown operation'), {name: 'UnknownOperationException'}))
    mock.on(ListTaskDefinitionsCommand).resolves({taskDefinitionArns: [TD(246), TD(245), TD(243), TD(240)]})
    const previous = await previousRevision(ecs, service(245))
    expect(previous).to.deep.equal({arn: TD(243), basis: 'next-older-active', family: 'web', revision: 243})
  })

  it('lastSuccessfulRevision: the newest SUCCESSFUL deployment not on the current revision', async () => {
    serve(afterBreaker)
    expect(await lastSuccessfulRevision(ecs, 'prod', 'web', TD(10))).to.deep.equal({arn: TD(13), family: 'web', revision: 13})
    expect(await lastSuccessfulRevision(ecs, 'prod', 'web', TD(13))).to.deep.equal({arn: TD(10), family: 'web', revision: 10})
  })

  it('resolves record targets 20 at a time, and only as far as needed', async () => {
    const many: Record[] = Array.from({length: 60}, (_, i) => ({id: `r${i}`, sources: [99 - i], status: 'SUCCESSFUL', target: 100 - i}))
    serve(many)
    expect((await lastSuccessfulRevision(ecs, 'prod', 'web', TD(100)))?.revision).to.equal(99)
    expect(mock.commandCalls(DescribeServiceRevisionsCommand)).to.have.length(1)
    expect(mock.commandCalls(DescribeServiceRevisionsCommand)[0].args[0].input.serviceRevisionArns).to.have.length(20)
  })
})
