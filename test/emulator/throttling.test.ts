import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  type ECSClient,
  ExecuteCommandCommand,
  ListClustersCommand,
  ListServiceDeploymentsCommand,
  ListTagsForResourceCommand,
  ListServicesCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs'
import {expect} from 'chai'

import {clients, container, failure, withEmulator} from './contract-helpers.js'
import {type Emulator, startEmulator} from './index.js'

/**
 * One call per throttled action. Most of them fail past the throttle (unknown cluster, task...):
 * that is fine, only whether the answer is a ThrottlingException matters here.
 */
const CALLS: Record<string, (ecs: ECSClient) => Promise<unknown>> = {
  CreateService: (ecs) => ecs.send(new CreateServiceCommand({desiredCount: 1, serviceName: 's', taskDefinition: 'f'})),
  DeleteService: (ecs) => ecs.send(new DeleteServiceCommand({service: 's'})),
  DeleteTaskDefinitions: (ecs) => ecs.send(new DeleteTaskDefinitionsCommand({taskDefinitions: ['f:1']})),
  DeregisterTaskDefinition: (ecs) => ecs.send(new DeregisterTaskDefinitionCommand({taskDefinition: 'ghost:1'})),
  DescribeClusters: (ecs) => ecs.send(new DescribeClustersCommand({})),
  DescribeServiceDeployments: (ecs) => ecs.send(new DescribeServiceDeploymentsCommand({serviceDeploymentArns: ['x']})),
  DescribeServiceRevisions: (ecs) => ecs.send(new DescribeServiceRevisionsCommand({serviceRevisionArns: ['x']})),
  DescribeServices: (ecs) => ecs.send(new DescribeServicesCommand({services: ['s']})),
  DescribeTaskDefinition: (ecs) => ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: 'f'})),
  DescribeTasks: (ecs) => ecs.send(new DescribeTasksCommand({tasks: ['t']})),
  ExecuteCommand: (ecs) => ecs.send(new ExecuteCommandCommand({command: 'sh', interactive: true, task: 't'})),
  ListClusters: (ecs) => ecs.send(new ListClustersCommand({})),
  ListServiceDeployments: (ecs) => ecs.send(new ListServiceDeploymentsCommand({service: 's'})),
  ListServices: (ecs) => ecs.send(new ListServicesCommand({})),
  ListTaskDefinitionFamilies: (ecs) => ecs.send(new ListTaskDefinitionFamiliesCommand({})),
  ListTaskDefinitions: (ecs) => ecs.send(new ListTaskDefinitionsCommand({})),
  ListTasks: (ecs) => ecs.send(new ListTasksCommand({})),
  RegisterTaskDefinition: (ecs) => ecs.send(new RegisterTaskDefinitionCommand({containerDefinitions: [container()], family: 'f'})),
  RunTask: (ecs) => ecs.send(new RunTaskCommand({taskDefinition: 'f'})),
  StopTask: (ecs) => ecs.send(new StopTaskCommand({task: 't'})),
  UpdateService: (ecs) => ecs.send(new UpdateServiceCommand({service: 's'})),
}

/**
 * AWS's request throttling table (shared/ECS-FACTS.md), written out again here rather than
 * read from the emulator, so a change to the emulator's table fails this test. The service
 * deployment and revision reads are the emulator's own choice (service read, README).
 */
const BUCKETS: {category: string; actions: string[]; burst: number; refillPerSecond: number}[] = [
  {actions: ['DescribeClusters', 'ListClusters'], burst: 50, category: 'cluster read', refillPerSecond: 20},
  {actions: ['DescribeTaskDefinition', 'ListTaskDefinitions', 'ListTaskDefinitionFamilies'], burst: 50, category: 'task definition read', refillPerSecond: 20},
  {actions: ['RegisterTaskDefinition', 'DeregisterTaskDefinition'], burst: 20, category: 'task definition modify', refillPerSecond: 1},
  {actions: ['DeleteTaskDefinitions'], burst: 5, category: 'task definition deletion', refillPerSecond: 1},
  {
    actions: ['DescribeServices', 'ListServices', 'ListServiceDeployments', 'DescribeServiceDeployments', 'DescribeServiceRevisions'],
    burst: 100,
    category: 'service read',
    refillPerSecond: 20,
  },
  {actions: ['CreateService', 'UpdateService', 'DeleteService'], burst: 50, category: 'service modify', refillPerSecond: 5},
  {actions: ['DescribeTasks', 'ListTasks'], burst: 100, category: 'cluster resource read', refillPerSecond: 20},
  {actions: ['ExecuteCommand', 'RunTask', 'StopTask'], burst: 100, category: 'cluster resource modify', refillPerSecond: 40},
]

type Outcome = {throttled: false} | {throttled: true; message: string; status?: number}

async function outcome(p: Promise<unknown>): Promise<Outcome> {
  try {
    await p
  } catch (error) {
    const e = error as Error & {$metadata?: {httpStatusCode?: number}}
    if (e.name === 'ThrottlingException') return {message: e.message, status: e.$metadata?.httpStatusCode, throttled: true}
  }

  return {throttled: false}
}

/** `n` calls at once, going round the category's actions: they all draw on one bucket. */
async function burst(ecs: ECSClient, actions: string[], n: number, from = 0): Promise<Outcome[]> {
  return Promise.all(Array.from({length: n}, (_, i) => outcome(CALLS[actions[(from + i) % actions.length]](ecs))))
}

const admitted = (results: Outcome[]) => results.filter((r) => !r.throttled).length

describe('emulator throttling buckets', () => {
  for (const [n, b] of BUCKETS.entries()) {
    describe(`${b.category} (${b.actions.join(', ')})`, () => {
      let em: Emulator
      let ecs: ECSClient
      beforeEach(async () => {
        // A nearly frozen clock: only advance() refills, so every count is exact.
        em = await startEmulator({throttling: true, timeScale: 1e-6})
        ecs = clients(em).ecs
      })
      afterEach(async () => {
        await em.stop()
      })

      it(`admits a burst of ${b.burst}, then answers ThrottlingException "Rate exceeded" (HTTP 400) on every one of its actions`, async () => {
        expect(admitted(await burst(ecs, b.actions, b.burst))).to.equal(b.burst)
        const after = await burst(ecs, b.actions, b.actions.length)
        for (const r of after) expect(r).to.deep.equal({message: 'Rate exceeded', status: 400, throttled: true})
        // Another category's bucket is untouched.
        const other = BUCKETS[(n + 1) % BUCKETS.length]
        expect(await outcome(CALLS[other.actions[0]](ecs))).to.deep.equal({throttled: false})
      })

      it(`refills ${b.refillPerSecond} per simulated second, up to the burst`, async () => {
        await burst(ecs, b.actions, b.burst)
        em.advance(1000)
        const refilled = await burst(ecs, b.actions, b.refillPerSecond + 1, 1)
        expect(admitted(refilled)).to.equal(b.refillPerSecond)
        // A long pause fills the bucket to its burst and no further.
        em.advance(3_600_000)
        expect(admitted(await burst(ecs, b.actions, b.burst + 1))).to.equal(b.burst)
      })
    })
  }

  it('never throttles the calls outside the table (CreateCluster, tagging)', async () => {
    await withEmulator({throttling: true, timeScale: 1e-6}, async (em) => {
      const {ecs} = clients(em)
      const arn = 'arn:aws:ecs:eu-west-1:123456789012:cluster/c'
      const calls = Array.from({length: 120}, (_, i) =>
        outcome(i % 2 ? ecs.send(new CreateClusterCommand({clusterName: 'c'})) : ecs.send(new ListTagsForResourceCommand({resourceArn: arn}))),
      )
      expect(admitted(await Promise.all(calls))).to.equal(120)
    })
  })

  it('throttles a category with its burst, then refills on the simulated clock', async () => {
    // A nearly frozen clock: only advance() refills, so the counts are exact.
    await withEmulator({throttling: true, timeScale: 1e-6}, async (frozen) => {
      const {ecs} = clients(frozen)
      // cluster read: burst 50, refill 20/s
      const results = await Promise.allSettled(Array.from({length: 55}, () => ecs.send(new DescribeClustersCommand({}))))
      const throttled = results.filter((r) => r.status === 'rejected')
      expect(throttled).to.have.length(5)
      const reason = (throttled[0] as PromiseRejectedResult).reason as Error & {$metadata: {httpStatusCode: number}}
      expect(reason.name).to.equal('ThrottlingException')
      expect(reason.message).to.equal('Rate exceeded')
      expect(reason.$metadata.httpStatusCode).to.equal(400)
      // Another category is unaffected.
      const other = await failure(ecs.send(new ListServicesCommand({cluster: 'default'})))
      expect(other.name).to.equal('ClusterNotFoundException')
      frozen.advance(1000) // 20 tokens back
      const after = await Promise.allSettled(Array.from({length: 21}, () => ecs.send(new ListClustersCommand({}))))
      expect(after.filter((r) => r.status === 'rejected')).to.have.length(1)
      frozen.setThrottling(false)
      await ecs.send(new ListClustersCommand({}))
    })
  })

  it('refills throttling buckets faster with a time scale', async () => {
    await withEmulator({throttling: true, timeScale: 100}, async (fast) => {
      const {ecs} = clients(fast)
      for (let i = 0; i < 50; i++) await ecs.send(new ListClustersCommand({}))
      await new Promise((r) => setTimeout(r, 60)) // 6 simulated seconds: full again
      const refilled = await Promise.allSettled(Array.from({length: 40}, () => ecs.send(new ListClustersCommand({}))))
      expect(refilled.filter((r) => r.status === 'rejected')).to.have.length(0)
    })
  })

  it('refills on the scaled clock: at 100× a pause of 60 ms brings back seconds of tokens', async () => {
    await withEmulator({throttling: true, timeScale: 100}, async (em) => {
      const {ecs} = clients(em)
      // task definition modify: 20, then 1 per second. At 1× the pause would refill nothing.
      let first = 0
      while (!(await outcome(CALLS.RegisterTaskDefinition(ecs))).throttled) first++
      expect(first).to.be.greaterThanOrEqual(20)
      await new Promise((r) => setTimeout(r, 60)) // ≥ 6 simulated seconds
      const back = admitted(await burst(ecs, ['RegisterTaskDefinition'], 21))
      expect(back).to.be.within(5, 20)
    })
  })
})
