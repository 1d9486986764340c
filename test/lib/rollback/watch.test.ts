import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs'
import {mockClient} from 'aws-sdk-client-mock'
import {expect} from 'chai'

import {startRollback} from '../../../src/lib/rollback/deploy.js'
import {buildHistory, loadHistory} from '../../../src/lib/rollback/history.js'
import {MARK_TAG} from '../../../src/lib/rollback/marker.js'
import {keepWatchingCommand, pollInterval, watchDeployment} from '../../../src/lib/rollback/watch.js'

const TD = (n: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${n}`
const SERVICE_ARN = 'arn:aws:ecs:eu-west-1:123456789012:service/prod/web'
const SD = (id: string) => `arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/web/${id}`
const SR = (id: string) => `arn:aws:ecs:eu-west-1:123456789012:service-revision/prod/web/${id}`
const ecs = new ECSClient({region: 'eu-west-1'})
// Created in before() and restored in after(): a mock made at load time would reach every test file.
let mock: ReturnType<typeof mockClient>
const unknown = (op: string) => Object.assign(new Error(`Unknown operation ${op}`), {name: 'UnknownOperationException'})

describe('rollback against a mocked ECS', () => {
  before(() => {
    mock = mockClient(ECSClient)
  })
  beforeEach(() => mock.reset())
  after(() => mock.restore())

  describe('watchDeployment', () => {
    const target = {deploymentId: 'ecs-svc/2', taskDefinitionArn: TD(243)}
    const inProgress = {services: [{deployments: [{id: 'ecs-svc/2', rolloutState: 'IN_PROGRESS' as const, status: 'PRIMARY', taskDefinition: TD(243)}], serviceName: 'web'}]}
    const completed = {services: [{deployments: [{id: 'ecs-svc/2', rolloutState: 'COMPLETED' as const, status: 'PRIMARY', taskDefinition: TD(243)}], serviceName: 'web'}]}

    it('polls until the deployment completes, reporting each step', async () => {
      mock.on(DescribeServicesCommand).resolvesOnce(inProgress).resolvesOnce(inProgress).resolves(completed)
      mock.on(DescribeServiceDeploymentsCommand).resolves({serviceDeployments: [{status: 'IN_PROGRESS'}]})
      const seen: string[] = []
      const out = await watchDeployment(ecs, {
        cluster: 'prod',
        deploymentArn: SD('a'),
        intervalMs: 1,
        onProgress: (a) => seen.push(a.state),
        service: 'web',
        target,
        timeoutMs: 5000,
      })
      expect(out.state).to.equal('succeeded')
      expect(out.polls).to.equal(3)
      expect(seen).to.deep.equal(['in-progress', 'in-progress', 'succeeded'])
      expect(mock.commandCalls(DescribeServiceDeploymentsCommand)).to.have.length(3)
    })

    it('stops asking for the record where the endpoint has no deployment records', async () => {
      mock.on(DescribeServicesCommand).resolvesOnce(inProgress).resolves(completed)
      mock.on(DescribeServiceDeploymentsCommand).rejects(unknown('DescribeServiceDeployments'))
      const out = await watchDeployment(ecs, {cluster: 'prod', deploymentArn: SD('a'), intervalMs: 1, service: 'web', target, timeoutMs: 5000})
      expect(out.state).to.equal('succeeded')
      expect(mock.commandCalls(DescribeServiceDeploymentsCommand)).to.have.length(1)
    })

    it('fails at once when the service is deleted while watched, instead of polling to the timeout', async () => {
      mock.on(DescribeServicesCommand).resolvesOnce(inProgress).resolves({failures: [{arn: 'web', reason: 'MISSING'}], services: []})
      mock.on(DescribeServiceDeploymentsCommand).resolves({serviceDeployments: []})
      const outcome = await watchDeployment(ecs, {cluster: 'prod', intervalMs: 1, service: 'web', target, timeoutMs: 60_000})
      expect(outcome.state).to.equal('failed')
      expect(outcome.polls).to.equal(2)
      expect(outcome.last).to.deep.include({reason: 'Service web was deleted while its deployment was watched.', state: 'failed'})
    })

    it('times out with the last state it saw', async () => {
      mock.on(DescribeServicesCommand).resolves(inProgress)
      const out = await watchDeployment(ecs, {cluster: 'prod', intervalMs: 5, service: 'web', target, timeoutMs: 40})
      expect(out.state).to.equal('timeout')
      expect(out.last?.state).to.equal('in-progress')
      expect(out.polls).to.be.greaterThan(1)
    })

    it('stops watching when aborted (Ctrl-C), between polls', async () => {
      mock.on(DescribeServicesCommand).resolves(inProgress)
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 30)
      const out = await watchDeployment(ecs, {cluster: 'prod', intervalMs: 10_000, service: 'web', signal: controller.signal, target, timeoutMs: 60_000})
      expect(out.state).to.equal('interrupted')
      expect(out.elapsedMs).to.be.lessThan(5000)
    })

    it('takes the poll interval from TASKONAUT_POLL_INTERVAL_MS, else 5 s', () => {
      expect(pollInterval({TASKONAUT_POLL_INTERVAL_MS: '25'})).to.equal(25)
      expect(pollInterval({TASKONAUT_POLL_INTERVAL_MS: 'x'})).to.equal(5000)
      expect(pollInterval({})).to.equal(5000)
    })

    it('names the AWS CLI command to keep watching', () => {
      expect(keepWatchingCommand({cluster: 'prod', deploymentArn: SD('a'), region: 'eu-west-1', service: 'web'})).to.equal(
        `aws ecs describe-service-deployments --service-deployment-arns ${SD('a')} --region eu-west-1`,
      )
      expect(keepWatchingCommand({cluster: 'prod', profile: 'ops', service: 'web'})).to.equal(
        'aws ecs describe-services --cluster prod --services web --query "services[0].deployments" --profile ops',
      )
    })
  })

  describe('startRollback', () => {
    const updated = {
      service: {
        currentServiceDeployment: SD('NEW123'),
        deployments: [{id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: TD(243)}],
        serviceArn: SERVICE_ARN,
      },
    }

    it('changes only the task definition, then adds the deployment to the service mark', async () => {
      mock.on(UpdateServiceCommand).resolves(updated)
      mock.on(ListTagsForResourceCommand).resolves({tags: [{key: 'team', value: 'shop'}, {key: MARK_TAG, value: 'OLD1 OLD2'}]})
      mock.on(TagResourceCommand).resolves({})
      const started = await startRollback(ecs, 'prod', 'web', TD(243))
      expect(mock.commandCalls(UpdateServiceCommand)[0].args[0].input).to.deep.equal({cluster: 'prod', service: 'web', taskDefinition: TD(243)})
      expect(mock.commandCalls(TagResourceCommand)[0].args[0].input).to.deep.equal({resourceArn: SERVICE_ARN, tags: [{key: MARK_TAG, value: 'NEW123 OLD1 OLD2'}]})
      expect(started).to.deep.include({deploymentArn: SD('NEW123'), deploymentId: 'ecs-svc/2'})
      expect(started.markError).to.equal(undefined)
    })

    it('keeps the rollback when the mark cannot be written, and says why', async () => {
      mock.on(UpdateServiceCommand).resolves(updated)
      mock.on(ListTagsForResourceCommand).resolves({tags: []})
      mock.on(TagResourceCommand).rejects(Object.assign(new Error('not allowed: ecs:TagResource'), {name: 'AccessDeniedException'}))
      const started = await startRollback(ecs, 'prod', 'web', TD(243))
      expect(started.markError).to.equal('AccessDeniedException: not allowed: ecs:TagResource')
      expect(started.deploymentArn).to.equal(SD('NEW123'))
    })
  })

  describe('rollback history', () => {

    it('builds entries from records, revisions and marks (pure)', () => {
      const entries = buildHistory(
        [
          {serviceDeploymentArn: SD('a'), startedAt: new Date('2026-12-01T10:00:00Z'), status: 'SUCCESSFUL', finishedAt: new Date('2026-12-01T10:04:00Z'), targetServiceRevisionArn: SR('r243')},
          {serviceDeploymentArn: SD('b'), startedAt: new Date('2026-12-02T10:00:00Z'), status: 'ROLLBACK_SUCCESSFUL', statusReason: 'x', targetServiceRevisionArn: SR('r246')},
        ],
        [
          {serviceDeploymentArn: SD('a'), sourceServiceRevisions: [{arn: SR('r245')}]},
          {rollback: {reason: 'circuit breaker threshold exceeded', serviceRevisionArn: SR('r243')}, serviceDeploymentArn: SD('b'), sourceServiceRevisions: [{arn: SR('r243')}]},
        ],
        new Map([
          [SR('r243'), TD(243)],
          [SR('r245'), TD(245)],
          [SR('r246'), TD(246)],
        ]),
        ['a'],
      )
      expect(entries.map((e) => [e.revision, e.from, e.outcome, e.byTaskonaut, e.rolledBackTo ?? null, e.reason ?? null])).to.deep.equal([
        ['web:246', ['web:243'], 'rolled back', false, 'web:243', 'circuit breaker threshold exceeded'],
        ['web:243', ['web:245'], 'succeeded', true, null, null],
      ])
      expect(entries[1].startedBy).to.equal('taskonaut rollback')
    })

    it('falls back to the current deployments where ECS keeps no deployment records', async () => {
      mock.on(ListTagsForResourceCommand).resolves({tags: [{key: MARK_TAG, value: 'ecs-svc/2'}]})
      mock.on(ListServiceDeploymentsCommand).rejects(unknown('ListServiceDeployments'))
      const history = await loadHistory(ecs, 'prod', {
        deployments: [{createdAt: new Date(), id: 'ecs-svc/2', rolloutState: 'COMPLETED', status: 'PRIMARY', taskDefinition: TD(243)}],
        serviceArn: SERVICE_ARN,
        serviceName: 'web',
      }, 20)
      expect(history.source).to.equal('service')
      expect(history.note).to.match(/not available here \(UnknownOperationException\)/)
      expect(history.entries[0]).to.deep.include({byTaskonaut: true, outcome: 'succeeded', revision: 'web:243'})
    })

    it('describes records and revisions in batches of 20', async () => {
      const briefs = Array.from({length: 45}, (_, i) => ({serviceDeploymentArn: SD(`d${i}`), status: 'SUCCESSFUL' as const, targetServiceRevisionArn: SR(`r${i}`)}))
      mock.on(ListTagsForResourceCommand).resolves({tags: []})
      mock.on(ListServiceDeploymentsCommand).resolvesOnce({nextToken: 't', serviceDeployments: briefs.slice(0, 30)}).resolves({serviceDeployments: briefs.slice(30)})
      mock.on(DescribeServiceDeploymentsCommand).callsFake((input) => ({serviceDeployments: input.serviceDeploymentArns.map((arn: string) => ({serviceDeploymentArn: arn}))}))
      mock.on(DescribeServiceRevisionsCommand).callsFake((input) => ({
        serviceRevisions: input.serviceRevisionArns.map((arn: string) => ({serviceRevisionArn: arn, taskDefinition: TD(Number(arn.split('/r').at(-1)) + 1)})),
      }))
      const history = await loadHistory(ecs, 'prod', {serviceArn: SERVICE_ARN, serviceName: 'web'}, 100)
      expect(history.entries).to.have.length(45)
      expect(mock.commandCalls(DescribeServiceDeploymentsCommand).map((c) => c.args[0].input.serviceDeploymentArns!.length)).to.deep.equal([20, 20, 5])
      expect(mock.commandCalls(DescribeServiceRevisionsCommand).every((c) => c.args[0].input.serviceRevisionArns!.length <= 20)).to.equal(true)
      expect(mock.commandCalls(ListServiceDeploymentsCommand)[0].args[0].input.maxResults).to.equal(100)
    })
  })
})
