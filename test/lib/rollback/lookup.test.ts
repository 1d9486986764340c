import {DescribeServicesCommand, ECSClient, ListClustersCommand, ListServicesCommand} from '@aws-sdk/client-ecs'
import {mockClient} from 'aws-sdk-client-mock'
import {expect} from 'chai'

import {ExplainedError} from '../../../src/lib/aws/errors.js'
import {findService} from '../../../src/lib/rollback/lookup.js'

const ecs = new ECSClient({region: 'eu-west-1'})
let mock: ReturnType<typeof mockClient>
const arn = (name: string) => `arn:aws:ecs:eu-west-1:123456789012:service/prod/${name}`

async function failure(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (error instanceof ExplainedError) return error.explained
    throw error
  }

  throw new Error('expected a failure')
}

describe('findService (unknown names given by flags)', () => {
  before(() => {
    mock = mockClient(ECSClient)
  })
  beforeEach(() => mock.reset())
  after(() => mock.restore())

  const missing = () => mock.on(DescribeServicesCommand).resolves({failures: [{reason: 'MISSING'}], services: []})

  it('an unknown service is a usage error (2) naming the close match', async () => {
    missing()
    mock.on(ListServicesCommand).resolves({serviceArns: ['web', 'worker', 'api'].map(arn)})
    const explained = await failure(findService(ecs, 'prod', 'wbe', 'taskonaut rollback'))
    expect(explained).to.deep.equal({exit: 2, message: 'Service "wbe" not found in cluster prod.', suggestions: ['Did you mean web?']})
  })

  it('lists every service when there are few and none is close', async () => {
    missing()
    mock.on(ListServicesCommand).resolves({serviceArns: ['web', 'worker', 'api'].map(arn)})
    expect((await failure(findService(ecs, 'prod', 'zzzzzz', 'taskonaut rollback'))).suggestions).to.deep.equal(['Services: api, web, worker.'])
  })

  it('with many services and no close one, tells to pick in a terminal with the command that was run', async () => {
    missing()
    mock.on(ListServicesCommand).resolves({serviceArns: Array.from({length: 12}, (_, i) => arn(`svc${i}-${'x'.repeat(i)}`))})
    const explained = await failure(findService(ecs, 'prod', 'zzzzzz', 'taskonaut rollback history'))
    expect(explained.suggestions).to.deep.equal(['It has 12 services; run `taskonaut rollback history --cluster prod` in a terminal to pick one.'])
  })

  it('an unknown cluster is a usage error (2) too, with the cluster names', async () => {
    mock.on(DescribeServicesCommand).rejects(Object.assign(new Error('Cluster not found.'), {name: 'ClusterNotFoundException'}))
    mock.on(ListClustersCommand).resolves({clusterArns: ['arn:aws:ecs:eu-west-1:123456789012:cluster/prod', 'arn:aws:ecs:eu-west-1:123456789012:cluster/staging']})
    const explained = await failure(findService(ecs, 'rpod', 'web', 'taskonaut rollback'))
    expect(explained).to.deep.equal({exit: 2, message: 'Cluster "rpod" not found.', suggestions: ['Did you mean prod?']})
  })
})
