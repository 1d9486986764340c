import type {Deployment, Service, ServiceDeployment} from '@aws-sdk/client-ecs'
import {expect} from 'chai'

import {assess, describeProgress} from '../../../src/lib/rollback/assess.js'

const TD = (n: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${n}`
const target = {deploymentId: 'ecs-svc/2', taskDefinitionArn: TD(243)}
const dep = (over: Partial<Deployment>): Deployment => ({desiredCount: 4, pendingCount: 0, runningCount: 0, ...over})
const service = (deployments: Deployment[], events: string[] = []): Service => ({
  deployments,
  desiredCount: 4,
  events: events.map((message) => ({message})),
  serviceName: 'web',
})

describe('assess (is the rollback done?)', () => {
  it('is in progress while the new PRIMARY deployment rolls out', () => {
    const a = assess(
      service([
        dep({id: 'ecs-svc/2', pendingCount: 2, rolloutState: 'IN_PROGRESS', runningCount: 1, status: 'PRIMARY', taskDefinition: TD(243)}),
        dep({id: 'ecs-svc/1', runningCount: 4, status: 'ACTIVE', taskDefinition: TD(245)}),
      ]),
      target,
    )
    expect(a.state).to.equal('in-progress')
    expect(a.progress).to.deep.include({deployments: 2, pending: 2, primary: 'web:243', rolloutState: 'IN_PROGRESS', running: 1})
    expect(describeProgress(a.progress)).to.equal('1/4 running, 2 pending · IN_PROGRESS, 2 deployments')
  })

  it('succeeds when the PRIMARY deployment is ours, on the target revision, and COMPLETED', () => {
    const a = assess(service([dep({id: 'ecs-svc/2', rolloutState: 'COMPLETED', runningCount: 4, status: 'PRIMARY', taskDefinition: TD(243)})]), target)
    expect(a.state).to.equal('succeeded')
  })

  it('does NOT succeed when the service is stable again on the old revision after a circuit-breaker rollback', () => {
    // What the stock services-stable waiter calls success: one deployment, all tasks running.
    const a = assess(
      service(
        [dep({id: 'ecs-svc/3', rolloutState: 'COMPLETED', runningCount: 4, status: 'PRIMARY', taskDefinition: TD(245)})],
        ['(service web) rolling back to deployment ecs-svc/1.'],
      ),
      target,
    )
    expect(a.state).to.equal('failed')
    expect(a).to.include({rolledBack: true})
    expect((a as {reason: string}).reason).to.contain('rolling back').and.contain('web:245')
    // The old revision's running tasks are not shown as ours.
    expect(a.progress).to.deep.include({desired: 4, primary: 'web:245', running: 0})
  })

  it('fails with the rollout reason when our deployment is FAILED', () => {
    const a = assess(
      service([
        dep({id: 'ecs-svc/3', rolloutState: 'IN_PROGRESS', status: 'PRIMARY', taskDefinition: TD(245)}),
        dep({failedTasks: 3, id: 'ecs-svc/2', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', status: 'ACTIVE', taskDefinition: TD(243)}),
      ]),
      target,
    )
    expect(a).to.deep.include({reason: 'ECS deployment circuit breaker: tasks failed to start.', rolledBack: true, state: 'failed'})
    expect(a.progress.failedTasks).to.equal(3)
  })

  it('trusts the deployment record first: SUCCESSFUL, ROLLBACK_*, STOPPED', () => {
    const inProgress = service([dep({id: 'ecs-svc/2', rolloutState: 'IN_PROGRESS', status: 'PRIMARY', taskDefinition: TD(243)})])
    const record = (over: Partial<ServiceDeployment>): ServiceDeployment => ({serviceDeploymentArn: 'arn:sd', ...over})
    expect(assess(inProgress, target, record({status: 'SUCCESSFUL'})).state).to.equal('succeeded')
    expect(assess(inProgress, target, record({rollback: {reason: 'threshold exceeded'}, status: 'ROLLBACK_IN_PROGRESS'}))).to.deep.include({
      reason: 'threshold exceeded',
      rolledBack: true,
      state: 'failed',
    })
    expect(assess(inProgress, target, record({status: 'STOPPED', statusReason: 'a newer deployment started'}))).to.deep.include({
      reason: 'a newer deployment started',
      rolledBack: false,
      state: 'failed',
    })
    expect(assess(inProgress, target, record({status: 'IN_PROGRESS'})).state).to.equal('in-progress')
  })

  it('fails when someone else deployed over ours', () => {
    const a = assess(
      service([
        dep({id: 'ecs-svc/9', rolloutState: 'IN_PROGRESS', status: 'PRIMARY', taskDefinition: TD(246)}),
        dep({id: 'ecs-svc/2', rolloutState: 'IN_PROGRESS', status: 'ACTIVE', taskDefinition: TD(243)}),
      ]),
      target,
    )
    expect(a).to.deep.include({rolledBack: false, state: 'failed'})
    expect((a as {reason: string}).reason).to.equal("Another deployment replaced this one: the service's primary deployment is now web:246.")
  })

  it('without rollout states, success is a single deployment with every task running', () => {
    const noRollout = {deploymentId: undefined, taskDefinitionArn: 'web:243'}
    expect(assess(service([dep({runningCount: 4, status: 'PRIMARY', taskDefinition: TD(243)})]), noRollout).state).to.equal('succeeded')
    expect(assess(service([dep({runningCount: 3, status: 'PRIMARY', taskDefinition: TD(243)})]), noRollout).state).to.equal('in-progress')
    expect(
      assess(service([dep({runningCount: 4, status: 'PRIMARY', taskDefinition: TD(243)}), dep({runningCount: 1, status: 'ACTIVE', taskDefinition: TD(245)})]), noRollout).state,
    ).to.equal('in-progress')
  })
})
