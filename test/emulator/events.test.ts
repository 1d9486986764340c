import {
  CreateEventBusCommand,
  DescribeRuleCommand,
  type EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge'
import {expect} from 'chai'

import {clients, failure, rawCall} from './contract-helpers.js'
import {type Emulator, startEmulator} from './index.js'

/** EventBridge answers with its own error types (it has no InvalidParameterException). */
describe('emulator EventBridge errors', () => {
  let em: Emulator
  let events: EventBridgeClient
  beforeEach(async () => {
    em = await startEmulator({
      scenario: {
        clusters: [{name: 'ops'}],
        families: [{family: 'report', revisions: 1}],
        rules: [{eventBusName: 'jobs', name: 'nightly', scheduleExpression: 'cron(0 3 * * ? *)', targets: [{cluster: 'ops', id: 't1', taskDefinition: 'report'}]}],
      },
    })
    events = clients(em).events
  })
  afterEach(async () => {
    await em.stop()
  })

  it('an unknown bus is ResourceNotFoundException for ListRules, ListTargetsByRule, DescribeRule and PutRule', async () => {
    const calls = [
      events.send(new ListRulesCommand({EventBusName: 'ghost'})),
      events.send(new ListRulesCommand({EventBusName: 'arn:aws:events:eu-west-1:123456789012:event-bus/ghost'})),
      events.send(new ListTargetsByRuleCommand({EventBusName: 'ghost', Rule: 'nightly'})),
      events.send(new DescribeRuleCommand({EventBusName: 'ghost', Name: 'nightly'})),
      events.send(new PutRuleCommand({EventBusName: 'ghost', Name: 'r', ScheduleExpression: 'rate(1 day)'})),
    ]
    for (const e of await Promise.all(calls.map((c) => failure(c)))) {
      expect(e.name).to.equal('ResourceNotFoundException')
      expect(e.message).to.equal('Event bus ghost does not exist.')
      expect(e.$metadata?.httpStatusCode).to.equal(400)
    }
  })

  it('an unknown rule is ResourceNotFoundException; a rule on another bus is not found on default', async () => {
    const cases: [ListTargetsByRuleCommand, string][] = [
      [new ListTargetsByRuleCommand({EventBusName: 'jobs', Rule: 'ghost'}), 'Rule ghost does not exist on EventBus jobs.'],
      [new ListTargetsByRuleCommand({Rule: 'nightly'}), 'Rule nightly does not exist on EventBus default.'],
    ]
    for (const [c, message] of cases) {
      const e = await failure(events.send(c))
      expect(e.name).to.equal('ResourceNotFoundException')
      expect(e.message).to.equal(message)
    }

    const targets = await events.send(new ListTargetsByRuleCommand({EventBusName: 'jobs', Rule: 'nightly'}))
    expect(targets.Targets?.map((t) => t.Id)).to.deep.equal(['t1'])
  })

  it('a bus exists once created (or named by a scenario rule): rules can then be put on it', async () => {
    const buses = async () => (await events.send(new ListEventBusesCommand({}))).EventBuses?.map((b) => b.Name)
    expect(await buses()).to.deep.equal(['default', 'jobs'])
    const created = await events.send(new CreateEventBusCommand({Name: 'ops'}))
    expect(created.EventBusArn).to.equal('arn:aws:events:eu-west-1:123456789012:event-bus/ops')
    expect((await failure(events.send(new CreateEventBusCommand({Name: 'ops'})))).name).to.equal('ResourceAlreadyExistsException')
    expect((await failure(events.send(new CreateEventBusCommand({Name: 'default'})))).name).to.equal('ResourceAlreadyExistsException')
    expect((await failure(events.send(new CreateEventBusCommand({Name: 'bad name'})))).name).to.equal('ValidationException')
    await events.send(new PutRuleCommand({EventBusName: 'ops', Name: 'hourly', ScheduleExpression: 'rate(1 hour)'}))
    await events.send(new PutTargetsCommand({EventBusName: 'ops', Rule: 'hourly', Targets: [{Arn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/ops', Id: 'a'}]}))
    expect((await events.send(new ListRulesCommand({EventBusName: 'ops'}))).Rules?.map((r) => r.Name)).to.deep.equal(['hourly'])
    expect(await buses()).to.deep.equal(['default', 'jobs', 'ops'])
  })

  it('PutTargets refuses a target that is not a structure or lacks its Id or Arn', async () => {
    const put = async (target: unknown) => {
      const {json, status} = await rawCall(em, 'AWSEvents.PutTargets', JSON.stringify({EventBusName: 'jobs', Rule: 'nightly', Targets: [target]}))
      return {status, type: json.__type}
    }
    expect(await put(null)).to.deep.equal({status: 400, type: 'SerializationException'})
    expect(await put({Id: 'a'})).to.deep.equal({status: 400, type: 'ValidationException'})
    expect(await put({Arn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/ops'})).to.deep.equal({status: 400, type: 'ValidationException'})
  })

  it('a bad Limit or NextToken is a ValidationException, never an ECS error type', async () => {
    const bad = [
      events.send(new ListRulesCommand({NextToken: 'garbage'})),
      events.send(new ListTargetsByRuleCommand({EventBusName: 'jobs', NextToken: 'garbage', Rule: 'nightly'})),
      events.send(new ListEventBusesCommand({NextToken: 'garbage'})),
      events.send(new ListRulesCommand({Limit: 0})),
    ]
    for (const e of await Promise.all(bad.map((c) => failure(c)))) expect(e.name).to.equal('ValidationException')
  })
})
