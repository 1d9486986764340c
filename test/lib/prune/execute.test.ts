import {DeleteTaskDefinitionsCommand, DeregisterTaskDefinitionCommand, ECSClient} from '@aws-sdk/client-ecs'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import {expect} from 'chai'

import {executePrune, exitCodeOf} from '../../../src/lib/prune/execute.js'
import type {Work} from '../../../src/lib/prune/plan.js'

const ARN = (n: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${n}`
const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, i) => from + i)

function work(deregister: number[], inactive: number[], deleteAfter = true): Work {
  const dereg = deregister.map(ARN)
  return {delete: inactive.map(ARN), deleteAfterDeregister: new Set(deleteAfter ? dereg : []), deregister: dereg}
}

describe('prune execution pipeline', () => {
  let ecsMock: AwsClientStub<ECSClient>
  // Installed per suite and removed after it: the mock patches ECSClient for the whole process.
  before(() => (ecsMock = mockClient(ECSClient)))
  after(() => ecsMock.restore())
  let log: string[]
  beforeEach(() => {
    log = []
    ecsMock.reset()
    ecsMock.on(DeregisterTaskDefinitionCommand).callsFake(async (input) => {
      log.push(`dereg ${input.taskDefinition.split(':').at(-1)}`)
      return {}
    })
    ecsMock.on(DeleteTaskDefinitionsCommand).callsFake(async (input) => {
      log.push(`delete ${input.taskDefinitions.length}`)
      return {taskDefinitions: input.taskDefinitions.map((arn: string) => ({status: 'DELETE_IN_PROGRESS', taskDefinitionArn: arn}))}
    })
  })

  it('deregisters, then deletes in batches of at most 10, starting before deregistration ends', async () => {
    const ecs = new ECSClient({})
    const result = await executePrune(ecs, work(range(1, 35), range(100, 104)), {concurrency: 1})
    expect(result.deregistered).to.have.length(35)
    expect(result.deleted).to.have.length(40)
    expect(result.failures).to.deep.equal([])
    const deletes = ecsMock.commandCalls(DeleteTaskDefinitionsCommand).map((c) => c.args[0].input.taskDefinitions!.length)
    expect(Math.max(...deletes)).to.be.at.most(10)
    expect(deletes.reduce((a, b) => a + b, 0)).to.equal(40)
    // The first delete goes out while revisions are still being deregistered.
    expect(log.indexOf('delete 10')).to.be.lessThan(log.lastIndexOf('dereg 35'))
    expect(exitCodeOf(result)).to.equal(0)
  })

  it('reports both phases with their totals before it first awaits (the progress display counts on it)', async () => {
    const seen: string[] = []
    const running = executePrune(new ECSClient({}), work(range(1, 3), range(100, 104)), {onProgress: (p) => seen.push(`${p.phase} ${p.done}/${p.total}`)})
    expect(seen).to.deep.equal(['deregister 0/3', 'delete 0/8'])
    await running
  })

  it('deregister-only work deletes nothing', async () => {
    const result = await executePrune(new ECSClient({}), work(range(1, 12), [], false))
    expect(result.deregistered).to.have.length(12)
    expect(ecsMock.commandCalls(DeleteTaskDefinitionsCommand)).to.have.length(0)
  })

  it('collects per-revision failures and goes on; exit code 3 for a partial run', async () => {
    ecsMock.on(DeregisterTaskDefinitionCommand, {taskDefinition: ARN(3)}).rejects(
      Object.assign(new Error('The specified task definition does not exist.'), {name: 'ClientException'}),
    )
    ecsMock.on(DeleteTaskDefinitionsCommand).callsFake(async (input) => ({
      failures: [{arn: ARN(100), detail: 'The specified task definition is still ACTIVE.', reason: 'TASK_DEFINITION_ACTIVE'}],
      taskDefinitions: input.taskDefinitions.filter((a: string) => a !== ARN(100)).map((arn: string) => ({taskDefinitionArn: arn})),
    }))
    const result = await executePrune(new ECSClient({}), work(range(1, 5), [100, 101]))
    expect(result.failures).to.deep.include({
      arn: ARN(3),
      detail: 'The specified task definition does not exist.',
      phase: 'deregister',
      reason: 'ClientException',
    })
    expect(result.failures).to.deep.include({arn: ARN(100), detail: 'The specified task definition is still ACTIVE.', phase: 'delete', reason: 'TASK_DEFINITION_ACTIVE'})
    const deleted = ecsMock.commandCalls(DeleteTaskDefinitionsCommand).flatMap((c) => c.args[0].input.taskDefinitions!)
    expect(deleted).not.to.include(ARN(3))
    expect(result.deleted).to.have.length(5)
    expect(exitCodeOf(result)).to.equal(3)
  })

  it('every failure has arn, phase, reason and detail; detail is null when ECS gave none', async () => {
    ecsMock.on(DeregisterTaskDefinitionCommand).rejects(Object.assign(new Error(''), {name: 'ThrottlingException'}))
    ecsMock.on(DeleteTaskDefinitionsCommand).resolves({failures: [{arn: ARN(100), reason: 'The specified task definition does not exist.'}]})
    const result = await executePrune(new ECSClient({}), work([1], [100]))
    expect(result.failures).to.have.deep.members([
      {arn: ARN(1), detail: null, phase: 'deregister', reason: 'ThrottlingException'},
      {arn: ARN(100), detail: null, phase: 'delete', reason: 'The specified task definition does not exist.'},
    ])
    // As --json writes it: the key is there, not left out.
    for (const f of JSON.parse(JSON.stringify(result.failures))) expect(f).to.have.all.keys('arn', 'detail', 'phase', 'reason')
  })

  it('exit code 1 when nothing succeeded', async () => {
    ecsMock.on(DeregisterTaskDefinitionCommand).rejects(Object.assign(new Error('no'), {name: 'AccessDeniedException'}))
    const result = await executePrune(new ECSClient({}), work([1, 2], []))
    expect(result.failures).to.have.length(2)
    expect(exitCodeOf(result)).to.equal(1)
  })

  it('on abort starts no new call, lets the call in flight finish, and lists what was not done', async () => {
    const controller = new AbortController()
    let calls = 0
    ecsMock.on(DeregisterTaskDefinitionCommand).callsFake(async () => {
      calls++
      if (calls === 3) controller.abort() // Ctrl-C while the third call is in flight
      await new Promise((r) => setTimeout(r, 5))
      return {}
    })
    const result = await executePrune(new ECSClient({}), work(range(1, 20), range(100, 102)), {concurrency: 1, signal: controller.signal})
    expect(result.cancelled).to.equal(true)
    expect(calls).to.equal(3)
    expect(result.deregistered).to.have.length(3)
    expect(result.notDone.deregister).to.have.length(17)
    // Not deleted: the three deregistered ones and the INACTIVE ones never sent, and the 17 never deregistered.
    expect(result.deleted.length + result.notDone.delete.length).to.equal(23)
  })
})
