import {DescribeClustersCommand, DescribeTasksCommand, ECSClient, ListClustersCommand, ListTasksCommand} from '@aws-sdk/client-ecs'
import {mockClient} from 'aws-sdk-client-mock'
import {expect} from 'chai'

import {clusterChoice, sortClusters, taskChoice} from '../../../src/lib/exec/choices.js'
import {loadClusters, loadRunningTasks} from '../../../src/lib/exec/load.js'
import {fakeId, fakeTask} from './fake-tasks.js'

describe('exec list loading', () => {
  let ecsMock: ReturnType<typeof mockClient>
  beforeEach(() => {
    ecsMock = mockClient(ECSClient)
  })
  afterEach(() => ecsMock.restore())
  const ecs = () => new ECSClient({region: 'eu-west-1'})

  it('reads every ListTasks page and describes each page of 100 while the next is read', async () => {
    const ids = Array.from({length: 250}, (_, i) => fakeId(i + 1))
    const pages = [ids.slice(0, 100), ids.slice(100, 200), ids.slice(200)]
    let inFlight = 0
    let describedBeforeLastPage = 0
    ecsMock.on(ListTasksCommand).callsFake(async (input) => {
      const n = input.nextToken ? Number(input.nextToken) : 0
      if (n === 2) describedBeforeLastPage = ecsMock.commandCalls(DescribeTasksCommand).length
      await new Promise((r) => setTimeout(r, 5))
      return {nextToken: n < 2 ? String(n + 1) : undefined, taskArns: pages[n]}
    })
    ecsMock.on(DescribeTasksCommand).callsFake(async (input) => {
      inFlight++
      await new Promise((r) => setTimeout(r, 10))
      inFlight--
      return {tasks: input.tasks.map((id: string) => fakeTask({id}))}
    })
    const progress: number[] = []
    const tasks = await loadRunningTasks(ecs(), 'prod', {}, {onProgress: (n) => progress.push(n)})
    expect(tasks).to.have.length(250)
    expect(ecsMock.commandCalls(ListTasksCommand)).to.have.length(3)
    expect(ecsMock.commandCalls(ListTasksCommand)[0].args[0].input).to.deep.include({cluster: 'prod', desiredStatus: 'RUNNING', maxResults: 100})
    expect(ecsMock.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks?.length)).to.deep.equal([100, 100, 50])
    // Describing started before the last page was listed: the two run side by side.
    expect(describedBeforeLastPage).to.be.at.least(1)
    expect(progress.at(-1)).to.equal(250)
    expect(inFlight).to.equal(0)
  })

  it('passes the service filter and surfaces a failed batch', async () => {
    ecsMock.on(ListTasksCommand).resolves({taskArns: ['a']})
    ecsMock.on(DescribeTasksCommand).rejects(Object.assign(new Error('Rate exceeded'), {name: 'ThrottlingException'}))
    const error = await loadRunningTasks(ecs(), 'prod', {serviceName: 'web'}).catch((e) => e)
    expect(error.name).to.equal('ThrottlingException')
    expect(ecsMock.commandCalls(ListTasksCommand)[0].args[0].input.serviceName).to.equal('web')
  })

  it('loads clusters with their counts and lists those with running tasks first', async () => {
    ecsMock.on(ListClustersCommand).resolves({clusterArns: ['arn:c/a', 'arn:c/b']})
    ecsMock.on(DescribeClustersCommand).resolves({
      clusters: [
        {activeServicesCount: 0, clusterArn: 'arn:c/a', clusterName: 'a', runningTasksCount: 0},
        {activeServicesCount: 1, clusterArn: 'arn:c/b', clusterName: 'b', runningTasksCount: 3},
      ],
    })
    const clusters = sortClusters(await loadClusters(ecs()))
    expect(clusters.map((c) => c.clusterName)).to.deep.equal(['b', 'a'])
    expect(clusterChoice(clusters[0])).to.deep.include({name: 'b  (1 service, 3 running)', value: 'arn:c/b'})
  })

  it('a task row shows family:revision, short id, group, status and age', () => {
    const task = fakeTask({id: '3f2a9c1d11112222333344445555aaaa', startedAt: new Date('2026-12-03T10:00:00Z')})
    const choice = taskChoice(task, new Date('2026-12-03T12:30:00Z').getTime())
    expect(choice.name).to.equal('web:12  3f2a9c1d  service:web  RUNNING  2h ago')
    expect(choice.value).to.equal(task.taskArn)
    expect(choice.description).to.equal('3f2a9c1d11112222333344445555aaaa')
  })
})
