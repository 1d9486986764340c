import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTagsForResourceCommand,
  ListTasksCommand,
  paginateListServices,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs'
import {expect} from 'chai'

import {clients, failure, withEmulator} from './contract-helpers.js'
import {type Emulator, type Scenario, startEmulator, TIMING} from './index.js'

const scenario: Scenario = {
  clusters: [
    {
      name: 'big',
      services: Array.from({length: 23}, (_, i) => ({desiredCount: 1, name: `svc-${String(i).padStart(2, '0')}`, taskDefinition: 'app:5'})),
    },
    {
      name: 'prod',
      services: [
        {desiredCount: 2, history: ['app:4'], name: 'web', taskDefinition: 'app:5'},
        {desiredCount: 2, history: ['checkout:1'], name: 'checkout', taskDefinition: 'checkout:2'},
        {circuitBreaker: {enable: true, rollback: false}, desiredCount: 1, name: 'norollback', taskDefinition: 'checkout:2'},
        {deploymentController: 'CODE_DEPLOY', desiredCount: 1, name: 'payments', taskDefinition: 'app:5'},
      ],
    },
  ],
  families: [
    {family: 'app', inactive: '1-2', revisions: 6},
    {broken: '3', family: 'checkout', revisions: 3},
  ],
}

describe('emulator services and deployments', () => {
  let em: Emulator
  let ecs: ECSClient
  beforeEach(async () => {
    em = await startEmulator({scenario})
    ecs = clients(em).ecs
  })
  afterEach(async () => {
    await em.stop()
  })

  const describe1 = async (service: string) =>
    (await ecs.send(new DescribeServicesCommand({cluster: 'prod', services: [service]}))).services?.[0]

  it('lists 10 services per page by default, at most 100, and paginates all', async () => {
    const first = await ecs.send(new ListServicesCommand({cluster: 'big'}))
    expect(first.serviceArns).to.have.length(10)
    expect(first.nextToken).to.be.a('string')
    const all: string[] = []
    for await (const p of paginateListServices({client: ecs}, {cluster: 'big'})) all.push(...(p.serviceArns ?? []))
    expect(all).to.have.length(23)
    expect(new Set(all).size).to.equal(23)
    expect((await failure(ecs.send(new ListServicesCommand({cluster: 'big', maxResults: 101})))).name).to.equal('InvalidParameterException')
    expect((await failure(ecs.send(new ListServicesCommand({cluster: 'nope'})))).name).to.equal('ClusterNotFoundException')
  })

  it('describes at most 10 services; unknown ones land in failures as MISSING', async () => {
    const names = Array.from({length: 11}, (_, i) => `svc-${String(i).padStart(2, '0')}`)
    const tooMany = await failure(ecs.send(new DescribeServicesCommand({cluster: 'big', services: names})))
    expect(tooMany.name).to.equal('InvalidParameterException')
    const empty = await failure(ecs.send(new DescribeServicesCommand({cluster: 'big', services: []})))
    expect(empty.name).to.equal('InvalidParameterException')
    const res = await ecs.send(new DescribeServicesCommand({cluster: 'prod', services: ['web', 'ghost']}))
    expect(res.services?.map((s) => s.serviceName)).to.deep.equal(['web'])
    expect(res.failures).to.deep.equal([{arn: 'arn:aws:ecs:eu-west-1:123456789012:service/prod/ghost', reason: 'MISSING'}])
    const s = res.services?.[0]
    expect(s?.deployments?.[0]).to.include({rolloutState: 'COMPLETED', runningCount: 2, status: 'PRIMARY'})
    expect(s?.createdAt).to.be.instanceOf(Date)
    expect(s?.enableExecuteCommand).to.equal(true)
  })

  it('rolls a new revision out: PRIMARY + ACTIVE, tasks start over simulated time, COMPLETED', async () => {
    const res = await ecs.send(new UpdateServiceCommand({cluster: 'prod', service: 'web', taskDefinition: 'app:6'}))
    const deps = res.service?.deployments ?? []
    expect(deps.map((d) => [d.status, d.taskDefinition?.split('/').at(-1), d.rolloutState])).to.deep.equal([
      ['PRIMARY', 'app:6', 'IN_PROGRESS'],
      ['ACTIVE', 'app:5', 'COMPLETED'],
    ])
    em.advance(TIMING.taskStartMs)
    let s = await describe1('web')
    expect(s?.deployments?.[0]).to.include({runningCount: 2})
    expect(s?.deployments?.[0].rolloutState).to.equal('IN_PROGRESS')
    em.advance(TIMING.steadyStateMs)
    s = await describe1('web')
    expect(s?.deployments).to.have.length(1)
    expect(s?.deployments?.[0]).to.include({rolloutState: 'COMPLETED', runningCount: 2, status: 'PRIMARY'})
    expect(s?.taskDefinition).to.match(/app:6$/)
    expect(s?.events?.[0].message).to.contain('has reached a steady state')
    const running = await ecs.send(new ListTasksCommand({cluster: 'prod', serviceName: 'web'}))
    expect(running.taskArns).to.have.length(2)
  })

  it('reaches COMPLETED on its own with a time scale', async () => {
    await withEmulator({scenario, timeScale: 1000}, async (fast) => {
      const c = clients(fast).ecs
      await c.send(new UpdateServiceCommand({cluster: 'prod', service: 'web', taskDefinition: 'app:6'}))
      await new Promise((r) => setTimeout(r, (TIMING.steadyStateMs / 1000) + 20))
      const s = (await c.send(new DescribeServicesCommand({cluster: 'prod', services: ['web']}))).services?.[0]
      expect(s?.deployments?.[0].rolloutState).to.equal('COMPLETED')
    })
  })

  it('trips the circuit breaker on a broken revision and rolls back to the old one', async () => {
    await ecs.send(new UpdateServiceCommand({cluster: 'prod', service: 'checkout', taskDefinition: 'checkout:3'}))
    em.advance(20_000)
    let s = await describe1('checkout')
    expect(s?.deployments?.[0].rolloutState).to.equal('IN_PROGRESS')
    expect(s?.deployments?.[0].failedTasks).to.be.greaterThan(0)
    em.advance(15_000)
    s = await describe1('checkout')
    const failed = s?.deployments?.find((d) => d.taskDefinition?.endsWith('checkout:3'))
    expect(failed).to.include({rolloutState: 'FAILED', status: 'ACTIVE'})
    expect(failed?.rolloutStateReason).to.equal('ECS deployment circuit breaker: tasks failed to start.')
    expect(s?.deployments?.[0]).to.include({rolloutState: 'IN_PROGRESS', status: 'PRIMARY'})
    expect(s?.taskDefinition).to.match(/checkout:2$/)
    em.advance(TIMING.steadyStateMs)
    s = await describe1('checkout')
    expect(s?.deployments?.map((d) => [d.taskDefinition?.split('/').at(-1), d.rolloutState])).to.deep.equal([['checkout:2', 'COMPLETED']])
    const stopped = await ecs.send(new ListTasksCommand({cluster: 'prod', desiredStatus: 'STOPPED', family: 'checkout'}))
    expect(stopped.taskArns?.length).to.be.greaterThanOrEqual(3)
    // The deployment records tell the story too.
    const list = await ecs.send(new ListServiceDeploymentsCommand({cluster: 'prod', service: 'checkout'}))
    expect(list.serviceDeployments?.[0].status).to.equal('ROLLBACK_SUCCESSFUL')
    const detail = await ecs.send(new DescribeServiceDeploymentsCommand({serviceDeploymentArns: [list.serviceDeployments?.[0].serviceDeploymentArn ?? '']}))
    const sd = detail.serviceDeployments?.[0]
    expect(sd?.deploymentCircuitBreaker?.status).to.equal('TRIGGERED')
    // The breaker's count is the failed tasks it saw: the same number DescribeServices showed.
    expect(sd?.deploymentCircuitBreaker?.failureCount).to.equal(failed?.failedTasks)
    expect(sd?.deploymentCircuitBreaker?.failureCount).to.be.greaterThanOrEqual(sd?.deploymentCircuitBreaker?.threshold ?? Infinity)
    expect(sd?.rollback?.reason).to.be.a('string')
    const revisions = await ecs.send(new DescribeServiceRevisionsCommand({serviceRevisionArns: [sd?.targetServiceRevision?.arn ?? '', sd?.rollback?.serviceRevisionArn ?? '']}))
    expect(revisions.serviceRevisions?.map((r) => r.taskDefinition?.split('/').at(-1))).to.deep.equal(['checkout:3', 'checkout:2'])
  })

  it('without rollback, a failed deployment stays PRIMARY and FAILED', async () => {
    await ecs.send(new UpdateServiceCommand({cluster: 'prod', service: 'norollback', taskDefinition: 'checkout:3'}))
    em.advance(120_000)
    const s = await describe1('norollback')
    expect(s?.deployments?.[0]).to.include({rolloutState: 'FAILED', status: 'PRIMARY'})
    expect(s?.deployments?.[1]).to.include({rolloutState: 'COMPLETED', status: 'ACTIVE'})
  })

  it('lists deployment history newest first, with statuses, and paginates', async () => {
    const list = await ecs.send(new ListServiceDeploymentsCommand({cluster: 'prod', service: 'web'}))
    expect(list.serviceDeployments?.map((d) => d.status)).to.deep.equal(['SUCCESSFUL', 'SUCCESSFUL'])
    const page1 = await ecs.send(new ListServiceDeploymentsCommand({cluster: 'prod', maxResults: 1, service: 'web'}))
    const page2 = await ecs.send(new ListServiceDeploymentsCommand({cluster: 'prod', maxResults: 1, nextToken: page1.nextToken, service: 'web'}))
    expect(page2.serviceDeployments?.[0].serviceDeploymentArn).to.equal(list.serviceDeployments?.[1].serviceDeploymentArn)
    expect(page2.nextToken).to.equal(undefined)
    const missing = await ecs.send(new DescribeServiceDeploymentsCommand({serviceDeploymentArns: ['arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/web/nope']}))
    expect(missing.failures?.[0].reason).to.equal('MISSING')
    expect((await failure(ecs.send(new ListServiceDeploymentsCommand({cluster: 'prod', service: 'ghost'})))).name).to.equal('ServiceNotFoundException')
  })

  it('pages deployment records exactly even when they share a timestamp', async () => {
    await withEmulator({scenario, timeScale: 1e-9}, async (frozen) => {
      const c = clients(frozen).ecs
      for (let i = 0; i < 5; i++) await c.send(new UpdateServiceCommand({cluster: 'prod', forceNewDeployment: true, service: 'web'}))
      const seen: string[] = []
      let nextToken: string | undefined
      do {
        const p = await c.send(new ListServiceDeploymentsCommand({cluster: 'prod', maxResults: 2, nextToken, service: 'web'}))
        seen.push(...(p.serviceDeployments ?? []).map((d) => d.serviceDeploymentArn ?? ''))
        nextToken = p.nextToken
      } while (nextToken)
      expect(seen).to.have.length(7)
      expect(new Set(seen).size).to.equal(7)
      const statuses = (await c.send(new ListServiceDeploymentsCommand({cluster: 'prod', service: 'web'}))).serviceDeployments?.map((d) => d.status)
      expect(statuses).to.deep.equal(['IN_PROGRESS', 'STOPPED', 'STOPPED', 'STOPPED', 'STOPPED', 'SUCCESSFUL', 'SUCCESSFUL'])
    })
  })

  it('refuses INACTIVE, deleted and unknown revisions for a new deployment with ClientException, like AWS', async () => {
    // AWS: "An error occurred (ClientException) when calling the UpdateService operation: TaskDefinition is inactive".
    const inactive = await failure(ecs.send(new UpdateServiceCommand({cluster: 'prod', service: 'web', taskDefinition: 'app:1'})))
    expect(inactive.name).to.equal('ClientException')
    expect(inactive.message).to.equal('TaskDefinition is inactive')
    const unknown = await failure(ecs.send(new UpdateServiceCommand({cluster: 'prod', service: 'web', taskDefinition: 'app:99'})))
    expect(unknown.name).to.equal('ClientException')
    expect(unknown.message).to.equal('TaskDefinition not found.')
    // app:5 still runs web's tasks, so deleting it leaves it DELETE_IN_PROGRESS.
    await ecs.send(new DeregisterTaskDefinitionCommand({taskDefinition: 'app:5'}))
    await ecs.send(new DeleteTaskDefinitionsCommand({taskDefinitions: ['app:5']}))
    const deleting = await failure(ecs.send(new UpdateServiceCommand({cluster: 'prod', service: 'checkout', taskDefinition: 'app:5'})))
    expect(deleting.name).to.equal('ClientException')
    expect(deleting.message).to.equal('TaskDefinition is being deleted')
    const create = await failure(ecs.send(new CreateServiceCommand({cluster: 'prod', desiredCount: 1, serviceName: 'n', taskDefinition: 'app:1'})))
    expect(create.name).to.equal('ClientException')
    expect(create.message).to.equal('TaskDefinition is inactive')
    const createUnknown = await failure(ecs.send(new CreateServiceCommand({cluster: 'prod', desiredCount: 1, serviceName: 'n', taskDefinition: 'nope'})))
    expect(createUnknown.name).to.equal('ClientException')
    expect((await failure(ecs.send(new UpdateServiceCommand({cluster: 'prod', service: 'ghost', taskDefinition: 'app:6'})))).name).to.equal(
      'ServiceNotFoundException',
    )
  })

  it('refuses a task definition update on a CODE_DEPLOY service, allows a desiredCount change', async () => {
    const e = await failure(ecs.send(new UpdateServiceCommand({cluster: 'prod', service: 'payments', taskDefinition: 'app:6'})))
    expect(e.name).to.equal('InvalidParameterException')
    expect(e.message).to.contain('CODE_DEPLOY')
    const ok = await ecs.send(new UpdateServiceCommand({cluster: 'prod', desiredCount: 3, service: 'payments'}))
    expect(ok.service?.desiredCount).to.equal(3)
    expect(ok.service?.deploymentController?.type).to.equal('CODE_DEPLOY')
    // Blue/green services show task sets, not rolling deployments.
    const s = await describe1('payments')
    expect(s?.deployments).to.deep.equal([])
    expect(s?.taskSets?.map((t) => [t.status, t.taskDefinition?.split('/').at(-1)])).to.deep.equal([['PRIMARY', 'app:5']])
    expect(s?.taskDefinition).to.match(/app:5$/)
  })

  it('forceNewDeployment redeploys the same revision; creating a service deploys it', async () => {
    const res = await ecs.send(new UpdateServiceCommand({cluster: 'prod', forceNewDeployment: true, service: 'web'}))
    expect(res.service?.deployments?.map((d) => d.taskDefinition?.split('/').at(-1))).to.deep.equal(['app:5', 'app:5'])
    const created = await ecs.send(new CreateServiceCommand({cluster: 'prod', desiredCount: 2, enableExecuteCommand: true, serviceName: 'fresh', taskDefinition: 'app'}))
    expect(created.service?.taskDefinition).to.match(/app:6$/)
    expect(created.service?.deployments?.[0].rolloutState).to.equal('IN_PROGRESS')
    em.advance(TIMING.steadyStateMs)
    expect((await describe1('fresh'))?.runningCount).to.equal(2)
  })

  it('keeps a deleted revision DELETE_IN_PROGRESS while a service uses it, then lets it go', async () => {
    await ecs.send(new DeregisterTaskDefinitionCommand({taskDefinition: 'app:4'}))
    await ecs.send(new DeregisterTaskDefinitionCommand({taskDefinition: 'app:5'}))
    const res = await ecs.send(new DeleteTaskDefinitionsCommand({taskDefinitions: ['app:4', 'app:5']}))
    expect(res.taskDefinitions?.map((t) => t.status)).to.deep.equal(['DELETE_IN_PROGRESS', 'DELETE_IN_PROGRESS'])
    const dip = await ecs.send(new ListTaskDefinitionsCommand({familyPrefix: 'app', status: 'DELETE_IN_PROGRESS'}))
    expect(dip.taskDefinitionArns?.map((a) => a.split('/').at(-1))).to.deep.equal(['app:5'])
    // Services keep running; once they move away, it disappears.
    await ecs.send(new UpdateServiceCommand({cluster: 'prod', service: 'web', taskDefinition: 'app:6'}))
    em.advance(TIMING.steadyStateMs + TIMING.taskStopMs)
    const still = await ecs.send(new ListTaskDefinitionsCommand({familyPrefix: 'app', status: 'DELETE_IN_PROGRESS'}))
    expect(still.taskDefinitionArns).to.have.length(1) // big/* and prod/payments still run app:5
    const d = await ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: 'app:5'}))
    expect(d.taskDefinition?.status).to.equal('DELETE_IN_PROGRESS')
  })

  it('deletes a service: DRAINING while its tasks stop, out of ListServices at once, then INACTIVE', async () => {
    const tasks = (await ecs.send(new ListTasksCommand({cluster: 'prod', serviceName: 'web'}))).taskArns ?? []
    const refused = await failure(ecs.send(new DeleteServiceCommand({cluster: 'prod', service: 'web'})))
    expect(refused.name).to.equal('InvalidParameterException') // desiredCount 2 without force
    const res = await ecs.send(new DeleteServiceCommand({cluster: 'prod', force: true, service: 'web'}))
    expect(res.service?.status).to.equal('DRAINING')
    const listed = await ecs.send(new ListServicesCommand({cluster: 'prod'}))
    expect(listed.serviceArns?.map((a) => a.split('/').at(-1))).not.to.include('web')
    expect((await describe1('web'))?.status).to.equal('DRAINING')
    const again = await failure(ecs.send(new UpdateServiceCommand({cluster: 'prod', desiredCount: 1, service: 'web'})))
    expect(again.name).to.equal('ServiceNotActiveException')
    const recreate = await failure(ecs.send(new CreateServiceCommand({cluster: 'prod', desiredCount: 1, serviceName: 'web', taskDefinition: 'app:6'})))
    expect(recreate.name).to.equal('InvalidParameterException')
    em.advance(TIMING.taskStopMs)
    expect((await describe1('web'))?.status).to.equal('INACTIVE')
    const stopped = await ecs.send(new DescribeTasksCommand({cluster: 'prod', tasks}))
    expect(stopped.tasks?.map((t) => t.lastStatus)).to.deep.equal(['STOPPED', 'STOPPED'])
    // Once INACTIVE the name is free again.
    const created = await ecs.send(new CreateServiceCommand({cluster: 'prod', desiredCount: 1, serviceName: 'web', taskDefinition: 'app:6'}))
    expect(created.service?.status).to.equal('ACTIVE')
  })

  it('tags and untags services and task definitions by ARN', async () => {
    const arn = 'arn:aws:ecs:eu-west-1:123456789012:service/prod/web'
    await ecs.send(new TagResourceCommand({resourceArn: arn, tags: [{key: 'a', value: '1'}, {key: 'b', value: '2'}]}))
    await ecs.send(new TagResourceCommand({resourceArn: arn, tags: [{key: 'a', value: '3'}]}))
    await ecs.send(new UntagResourceCommand({resourceArn: arn, tagKeys: ['b']}))
    expect((await ecs.send(new ListTagsForResourceCommand({resourceArn: arn}))).tags).to.deep.equal([{key: 'a', value: '3'}])
    const td = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/app:5'
    await ecs.send(new TagResourceCommand({resourceArn: td, tags: [{key: 'k', value: 'v'}]}))
    const d = await ecs.send(new DescribeTaskDefinitionCommand({include: ['TAGS'], taskDefinition: 'app:5'}))
    expect(d.tags).to.deep.equal([{key: 'k', value: 'v'}])
    const missing = await failure(ecs.send(new ListTagsForResourceCommand({resourceArn: 'arn:aws:ecs:eu-west-1:123456789012:service/prod/ghost'})))
    expect(missing.name).to.equal('ResourceNotFoundException')
    expect((await failure(ecs.send(new ListTagsForResourceCommand({resourceArn: 'nope'})))).name).to.equal('InvalidParameterException')
  })
})
