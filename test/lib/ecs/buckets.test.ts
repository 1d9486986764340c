import {DeleteTaskDefinitionsCommand, DeregisterTaskDefinitionCommand, ECSClient, ListClustersCommand} from '@aws-sdk/client-ecs'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import {expect} from 'chai'
import sinon from 'sinon'

import {AwsClients} from '../../../src/lib/aws/clients.js'
import {AbortedError, categoryOf, EcsBuckets, floorSeconds, timeScaleFromEnv, TokenBucket} from '../../../src/lib/ecs/buckets.js'
import {pacedEcs} from '../../../src/lib/ecs/paced-client.js'

describe('prune token buckets', () => {
  let clock: sinon.SinonFakeTimers
  beforeEach(() => {
    clock = sinon.useFakeTimers()
  })
  afterEach(() => clock.restore())

  const settled = async (p: Promise<unknown>) => {
    let done = false
    p.then(() => (done = true)).catch(() => (done = true))
    await clock.tickAsync(0)
    return () => done
  }

  it('spends the burst at once, then serves waiters in order at the refill rate', async () => {
    const bucket = new TokenBucket({capacity: 2, refillPerSecond: 1}, 1, () => clock.now)
    await bucket.take()
    await bucket.take()
    const third = await settled(bucket.take())
    const fourth = await settled(bucket.take())
    // 1000 ms / 0.98 (the safety margin) = 1020.4 ms, rounded up, plus a millisecond.
    await clock.tickAsync(1020)
    expect(third()).to.equal(false)
    await clock.tickAsync(2)
    expect(third()).to.equal(true)
    expect(fourth()).to.equal(false)
    await clock.tickAsync(1020)
    expect(fourth()).to.equal(true)
  })

  it('a time scale speeds the refill (test and bench hook)', async () => {
    const bucket = new TokenBucket({capacity: 1, refillPerSecond: 1}, 20, () => clock.now)
    await bucket.take()
    const next = await settled(bucket.take())
    await clock.tickAsync(50)
    expect(next()).to.equal(false)
    await clock.tickAsync(3)
    expect(next()).to.equal(true)
    expect(timeScaleFromEnv({TASKONAUT_TIME_SCALE: '20'})).to.equal(20)
    expect(timeScaleFromEnv({TASKONAUT_TIME_SCALE: 'x'})).to.equal(1)
    expect(timeScaleFromEnv({})).to.equal(1)
  })

  it('with refillFromFirstResponse, refilling starts at the first answer, not at creation', async () => {
    const bucket = new TokenBucket({capacity: 1, refillPerSecond: 1}, 1, () => clock.now, {refillFromFirstResponse: true})
    await bucket.take()
    const second = await settled(bucket.take())
    const third = await settled(bucket.take())
    await clock.tickAsync(5000)
    expect(second()).to.equal(false) // no answer yet: nothing refills
    bucket.responded()
    await clock.tickAsync(1020)
    expect(second()).to.equal(false)
    await clock.tickAsync(2)
    expect(second()).to.equal(true)
    expect(third()).to.equal(false)
    await clock.tickAsync(1021)
    expect(third()).to.equal(true)
    // Later bookings count from when they are made.
    await clock.tickAsync(10_000)
    await bucket.take()
    const later = await settled(bucket.take())
    await clock.tickAsync(1022)
    expect(later()).to.equal(true)
  })

  it('drain empties the bucket after a throttle; abort gives a booked token back', async () => {
    const bucket = new TokenBucket({capacity: 5, refillPerSecond: 1}, 1, () => clock.now)
    bucket.drain()
    expect(bucket.delayFor()).to.be.closeTo(1000 / 0.98, 0.01)
    const controller = new AbortController()
    const waiting = bucket.take(controller.signal)
    controller.abort()
    let error: unknown
    await waiting.catch((e) => (error = e))
    expect(error).to.be.instanceOf(AbortedError)
    expect(bucket.delayFor()).to.be.closeTo(1000 / 0.98, 0.01)
  })

  it('maps operations to the documented categories and computes floors', () => {
    expect(categoryOf('DeregisterTaskDefinition')).to.equal('task definition modify')
    expect(categoryOf('DeleteTaskDefinitions')).to.equal('task definition deletion')
    expect(categoryOf('ListTasks')).to.equal('cluster resource read')
    expect(floorSeconds(495, {capacity: 20, refillPerSecond: 1})).to.equal(475)
    expect(floorSeconds(3, {capacity: 5, refillPerSecond: 1})).to.equal(0)
  })
})

describe('prune paced client', () => {
  let ecsMock: AwsClientStub<ECSClient>
  // Mocks are installed per suite and removed after it: they patch ECSClient for the whole process.
  before(() => (ecsMock = mockClient(ECSClient)))
  after(() => ecsMock.restore())
  afterEach(() => ecsMock.reset())
  const throttle = () => Object.assign(new Error('Rate exceeded'), {name: 'ThrottlingException', $metadata: {httpStatusCode: 400}})

  it('retries a throttled call after draining its bucket, and tells who listens', async () => {
    ecsMock.on(DeregisterTaskDefinitionCommand).rejectsOnce(throttle()).resolves({})
    const buckets = new EcsBuckets(1000)
    const throttled: string[] = []
    const ecs = pacedEcs(new ECSClient({}), {buckets, onThrottle: (op) => throttled.push(op)})
    await ecs.send(new DeregisterTaskDefinitionCommand({taskDefinition: 'web:1'}))
    expect(ecsMock.commandCalls(DeregisterTaskDefinitionCommand)).to.have.length(2)
    expect(throttled).to.deep.equal(['DeregisterTaskDefinition'])
  })

  it("the pipeline's client makes a single attempt: pacing and retries are the paced client's alone", async () => {
    const clients = new AwsClients({endpointFromFlag: false, maxAttempts: 8, region: 'eu-west-1', regionSource: 'flag'})
    const single = await clients.ecs({maxAttempts: 1, retryMode: 'standard'})
    const usual = await clients.ecs()
    expect(await single.config.maxAttempts()).to.equal(1)
    expect(single.config.retryMode).to.equal('standard')
    expect(await usual.config.maxAttempts()).to.equal(8)
    expect(usual.config.retryMode).to.equal('adaptive')
  })

  it('does not retry a client error', async () => {
    ecsMock.on(DeregisterTaskDefinitionCommand).rejects(Object.assign(new Error('does not exist'), {name: 'ClientException', $metadata: {httpStatusCode: 400}}))
    const ecs = pacedEcs(new ECSClient({}), {buckets: new EcsBuckets(1000)})
    let error: any
    await ecs.send(new DeregisterTaskDefinitionCommand({taskDefinition: 'web:1'})).catch((e) => (error = e))
    expect(error?.name).to.equal('ClientException')
    expect(ecsMock.commandCalls(DeregisterTaskDefinitionCommand)).to.have.length(1)
  })

  it("a call's own abort signal ends its wait for a token: no call, and no waiting for the bucket", async () => {
    ecsMock.on(DeleteTaskDefinitionsCommand).resolves({})
    const buckets = new EcsBuckets()
    // The burst of 5 spent: the next deletion token is a second away.
    for (let i = 0; i < 5; i++) await buckets.forOperation('DeleteTaskDefinitions')!.take()
    const ecs = pacedEcs(new ECSClient({region: 'eu-west-1'}), {buckets})
    const call = new AbortController()
    const started = performance.now()
    const sent = ecs.send(new DeleteTaskDefinitionsCommand({taskDefinitions: ['web:1']}), {abortSignal: call.signal})
    setTimeout(() => call.abort(), 5)
    let error: unknown
    await sent.catch((e) => (error = e))
    expect(error).to.be.instanceOf(Error)
    expect(performance.now() - started).to.be.below(500)
    expect(ecsMock.calls()).to.have.length(0)
  })

  it('starts no call once aborted, and passes other properties through', async () => {
    ecsMock.on(ListClustersCommand).resolves({clusterArns: []})
    const controller = new AbortController()
    controller.abort()
    const client = new ECSClient({region: 'eu-west-1'})
    const ecs = pacedEcs(client, {buckets: new EcsBuckets(), signal: controller.signal})
    let error: unknown
    await ecs.send(new ListClustersCommand({})).catch((e) => (error = e))
    expect(error).to.be.instanceOf(AbortedError)
    expect(ecsMock.calls()).to.have.length(0)
    expect(ecs.config).to.equal(client.config)
  })
})
