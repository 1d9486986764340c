import {expect} from 'chai'
import fc from 'fast-check'

import {rawCall} from './contract-helpers.js'
import {type Emulator, startEmulator} from './index.js'

const OPERATIONS = [
  'CreateCluster', 'DescribeClusters', 'ListClusters', 'RegisterTaskDefinition', 'ListTaskDefinitionFamilies',
  'ListTaskDefinitions', 'DescribeTaskDefinition', 'DeregisterTaskDefinition', 'DeleteTaskDefinitions',
  'CreateService', 'ListServices', 'DescribeServices', 'UpdateService', 'DeleteService', 'ListServiceDeployments',
  'DescribeServiceDeployments', 'DescribeServiceRevisions', 'RunTask', 'ListTasks', 'DescribeTasks', 'StopTask',
  'ExecuteCommand', 'TagResource', 'UntagResource', 'ListTagsForResource',
]
const EVENTS = ['ListRules', 'ListTargetsByRule', 'ListEventBuses', 'PutRule', 'PutTargets', 'DescribeRule', 'CreateEventBus']

/** Member names the operations read, so random bodies reach the validation code. */
const KEYS = [
  'cluster', 'clusters', 'clusterName', 'service', 'services', 'serviceName', 'taskDefinition', 'taskDefinitions',
  'family', 'familyPrefix', 'status', 'sort', 'maxResults', 'nextToken', 'containerDefinitions', 'tags', 'tagKeys',
  'include', 'desiredCount', 'deploymentController', 'deploymentConfiguration', 'forceNewDeployment', 'task', 'tasks',
  'container', 'command', 'interactive', 'count', 'startedBy', 'desiredStatus', 'serviceDeploymentArns',
  'serviceRevisionArns', 'resourceArn', 'createdAt', 'Rule', 'Name', 'Targets', 'Limit', 'NextToken', 'EventBusName',
]

const value = fc.oneof(
  fc.constantFrom('prod', 'web', 'web:3', 'web:1', 'ghost', '', 'ACTIVE', 'DESC', 'arn:aws:ecs:eu-west-1:123456789012:service/prod/web'),
  fc.integer({max: 200, min: -5}),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({maxLength: 8}), fc.constant(null), fc.record({key: fc.string({maxLength: 4}), name: fc.string({maxLength: 4})})), {maxLength: 12}),
  fc.dictionary(fc.constantFrom('enable', 'rollback', 'type', 'after', 'deploymentCircuitBreaker'), fc.oneof(fc.boolean(), fc.string(), fc.integer())),
  fc.string({maxLength: 12}),
)

describe('emulator under random input', () => {
  let em: Emulator
  before(async () => {
    em = await startEmulator({
      scenario: {
        clusters: [{name: 'prod', services: [{name: 'web', taskDefinition: 'web:3'}]}],
        families: [{family: 'web', inactive: '1', revisions: 3}],
      },
    })
  })
  after(async () => {
    await em.stop()
  })

  it('answers every request with AWS-shaped JSON and never an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom(...OPERATIONS).map((op) => `AmazonEC2ContainerServiceV20141113.${op}`),
          fc.constantFrom(...EVENTS).map((op) => `AWSEvents.${op}`),
        ),
        fc.dictionary(fc.constantFrom(...KEYS), value, {maxKeys: 6}),
        async (target, body) => {
          const {json, status} = await rawCall(em, target, JSON.stringify(body))
          if (status !== 200) {
            expect(status, JSON.stringify({body, json, target})).to.equal(400)
            expect(json.__type).to.be.a('string')
            expect(json.message).to.be.a('string')
          }
        },
      ),
      {numRuns: 600},
    )
    // The inputs reach past validation often enough to mean something.
    const ok = em.requests.filter((r) => r.status === 200).length
    expect(ok).to.be.greaterThan(30)
    expect(em.requests.filter((r) => r.errorType === 'InvalidParameterException').length).to.be.greaterThan(30)
  })
})
