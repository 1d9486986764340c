import {DescribeTaskDefinitionCommand, ECSClient} from '@aws-sdk/client-ecs'
import {mockClient} from 'aws-sdk-client-mock'
import {expect} from 'chai'

import {TokenBucket} from '../../../src/lib/ecs/buckets.js'
import {RevisionDates} from '../../../src/lib/rollback/revision-dates.js'

const TD = (n: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${n}`
const revisions = (n: number) => Array.from({length: n}, (_, i) => ({arn: TD(n - i), revision: n - i}))
const ecs = new ECSClient({maxAttempts: 1, region: 'eu-west-1'})
let mock: ReturnType<typeof mockClient>
const registered = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 3_600_000)
const throttle = () => Object.assign(new Error('Rate exceeded'), {$fault: 'client', name: 'ThrottlingException'})
const described = () => mock.commandCalls(DescribeTaskDefinitionCommand).map((c) => Number(/:(\d+)$/.exec(c.args[0].input.taskDefinition!)![1]))
const tick = () => new Promise((r) => setImmediate(r))

async function until(done: () => boolean, ms = 2000) {
  const end = Date.now() + ms
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 2))
  }
}

describe('RevisionDates (registration dates loaded while the list is shown)', () => {
  before(() => {
    mock = mockClient(ECSClient)
  })
  beforeEach(() => {
    mock.reset()
    mock.on(DescribeTaskDefinitionCommand).callsFake((input: {taskDefinition: string}) => {
      const n = Number(/:(\d+)$/.exec(input.taskDefinition)![1])
      return {taskDefinition: {registeredAt: registered(n), revision: n}}
    })
  })
  after(() => mock.restore())

  // A bucket far faster than ECS's, so these tests take milliseconds; pacing itself is TokenBucket's (tested with prune).
  const fast = () => new TokenBucket({capacity: 1000, refillPerSecond: 1000})

  it('loads every date, newest first, each revision once, and tells the list', async () => {
    const dates = new RevisionDates(ecs, revisions(30), {bucket: fast(), concurrency: 1})
    let changes = 0
    dates.onChange(() => changes++)
    dates.start()
    await until(() => dates.progress().settled === 30)
    expect(described()).to.deep.equal(Array.from({length: 30}, (_, i) => 30 - i))
    expect(dates.get(7)).to.deep.equal(registered(7))
    await tick()
    expect(changes).to.be.greaterThan(0)
  })

  it('loads the rows on screen before the others', async () => {
    const dates = new RevisionDates(ecs, revisions(50), {bucket: fast(), concurrency: 1})
    dates.prioritise([3, 2, 1])
    // prioritise works even before start(): a filtered list must not wait.
    await dates.settled([3, 2, 1], 2000)
    expect(described().slice(0, 3)).to.deep.equal([3, 2, 1])
    dates.start()
    await until(() => dates.progress().settled === 50)
    expect(new Set(described()).size).to.equal(50)
  })

  it('retries a throttled call after emptying its bucket, and gives a date up after its attempts', async () => {
    let throttled = 0
    mock.on(DescribeTaskDefinitionCommand).callsFake((input: {taskDefinition: string}) => {
      const n = Number(/:(\d+)$/.exec(input.taskDefinition)![1])
      if (n === 2 && throttled++ < 2) throw throttle()
      if (n === 1) throw Object.assign(new Error('boom'), {name: 'AccessDeniedException'})
      return {taskDefinition: {registeredAt: registered(n), revision: n}}
    })
    const bucket = fast()
    let drained = 0
    const drain = bucket.drain.bind(bucket)
    bucket.drain = () => {
      drained++
      drain()
    }

    const dates = new RevisionDates(ecs, revisions(3), {bucket, concurrency: 1}).start()
    await until(() => dates.progress().settled === 3)
    expect(dates.get(2)).to.deep.equal(registered(2))
    expect(drained).to.equal(2)
    // Not a throttle: no retry, the row says the date could not be loaded.
    expect(dates.get(1)).to.equal(null)
    expect(described().filter((n) => n === 1)).to.have.length(1)
  })

  it('starts no call while paused, and keeps what it loaded for the next time the list is shown', async () => {
    const dates = new RevisionDates(ecs, revisions(40), {bucket: fast(), concurrency: 2}).start()
    await dates.settled([40, 39, 38, 37], 2000)
    dates.pause()
    await new Promise((r) => setTimeout(r, 20))
    const calls = described().length
    await new Promise((r) => setTimeout(r, 20))
    expect(described().length).to.equal(calls)
    expect(calls).to.be.lessThan(40)
    dates.start()
    await until(() => dates.progress().settled === 40)
    expect(new Set(described()).size).to.equal(described().length)
  })

  it('settled() gives up waiting after its time, leaving the rest to load', async () => {
    mock.on(DescribeTaskDefinitionCommand).callsFake(() => new Promise(() => {}))
    const dates = new RevisionDates(ecs, revisions(5), {bucket: fast()})
    const started = Date.now()
    await dates.settled([5, 4], 30)
    expect(Date.now() - started).to.be.lessThan(1000)
    expect(dates.get(5)).to.equal(undefined)
  })

  it('counts the reads made just before against its burst', async () => {
    const bucket = new TokenBucket({capacity: 10, refillPerSecond: 1})
    const _dates = new RevisionDates(ecs, revisions(5), {bucket, spent: 4})
    expect(bucket.delayFor()).to.equal(0)
    for (let i = 0; i < 6; i++) await bucket.take()
    expect(bucket.delayFor()).to.be.greaterThan(0)
  })
})
