import type {Cluster, Task} from '@aws-sdk/client-ecs'
import {expect} from 'chai'

import {navigate, type NavigatorIO, previousStep} from '../../../src/lib/exec/navigate.js'
import {BACK} from '../../../src/lib/ui/prompts.js'
import {fakeContainer, fakeTask} from './fake-tasks.js'

type Answer = string | typeof BACK | 'back' | 'leave'

/** A scripted NavigatorIO: answers in order, and a log of every question and fetch. */
function scripted(data: {clusters: Cluster[]; tasks: Record<string, Task[]>}, answers: Answer[]) {
  const log: string[] = []
  const next = () => {
    if (answers.length === 0) throw new Error(`no scripted answer left (log: ${log.join(', ')})`)
    return answers.shift()!
  }

  const io: NavigatorIO = {
    async askCluster() {
      log.push('ask:cluster')
      return next() as string
    },
    async askContainer(_task, canGoBack) {
      log.push(`ask:container${canGoBack ? '+back' : ''}`)
      return next() as string | typeof BACK
    },
    async askEmpty(cluster, canGoBack) {
      log.push(`ask:empty:${cluster}${canGoBack ? '+back' : ''}`)
      return next() as 'back' | 'leave'
    },
    async askTask(cluster, _tasks, canGoBack) {
      log.push(`ask:task:${cluster}${canGoBack ? '+back' : ''}`)
      return next() as string | typeof BACK
    },
    async clusters() {
      log.push('fetch:clusters')
      return data.clusters
    },
    async tasks(cluster) {
      log.push(`fetch:tasks:${cluster}`)
      return data.tasks[cluster] ?? []
    },
  }
  return {io, log}
}

describe('exec navigation', () => {
  const single = fakeTask()
  const multi = fakeTask({containers: [fakeContainer('app'), fakeContainer('envoy')]})
  const data = {
    clusters: [{clusterArn: 'prod', clusterName: 'prod'}, {clusterArn: 'empty', clusterName: 'empty'}],
    tasks: {prod: [single, multi]},
  }

  it('goes cluster → task → container, picking a single container without asking', async () => {
    const {io, log} = scripted(data, ['prod', single.taskArn!])
    const done = await navigate(io)
    expect(done).to.deep.include({cluster: 'prod', container: 'app', task: single})
    expect(log).to.deep.equal(['fetch:clusters', 'ask:cluster', 'fetch:tasks:prod', 'ask:task:prod+back'])
  })

  it('Back from the container returns to the tasks, and Back from the tasks to the clusters, without refetching', async () => {
    const {io, log} = scripted(data, ['prod', multi.taskArn!, BACK, BACK, 'prod', multi.taskArn!, 'envoy'])
    const done = await navigate(io)
    expect(done).to.deep.include({container: 'envoy', task: multi})
    expect(log.filter((l) => l.startsWith('fetch'))).to.deep.equal(['fetch:clusters', 'fetch:tasks:prod'])
    expect(log.filter((l) => l.startsWith('ask'))).to.deep.equal([
      'ask:cluster',
      'ask:task:prod+back',
      'ask:container+back',
      'ask:task:prod+back',
      'ask:cluster',
      'ask:task:prod+back',
      'ask:container+back',
    ])
  })

  it('a cluster without running tasks offers to go back or leave', async () => {
    const back = scripted(data, ['empty', 'back', 'prod', single.taskArn!])
    expect(await navigate(back.io)).to.deep.include({cluster: 'prod'})
    expect(back.log).to.include('ask:empty:empty+back')
    const leave = scripted(data, ['empty', 'leave'])
    expect(await navigate(leave.io)).to.equal(undefined)
  })

  it('with --cluster given, the task list has no Back and an empty cluster can only be left', async () => {
    const {io, log} = scripted(data, [single.taskArn!])
    expect(await navigate(io, {cluster: 'prod'})).to.deep.include({container: 'app'})
    expect(log).to.deep.equal(['fetch:tasks:prod', 'ask:task:prod'])
    const empty = scripted(data, ['back'])
    expect(await navigate(empty.io, {cluster: 'empty'})).to.equal(undefined)
    expect(empty.log).to.include('ask:empty:empty')
  })

  it('with --container given, a task with several containers is not asked about', async () => {
    const {io, log} = scripted(data, [multi.taskArn!])
    expect(await navigate(io, {cluster: 'prod', container: 'envoy'})).to.deep.include({container: 'envoy'})
    expect(log).not.to.include('ask:container+back')
  })

  it('5,000 tasks are fetched once and offered in one list', async () => {
    const many = Array.from({length: 5000}, () => fakeTask())
    let offered = 0
    const {io, log} = scripted({clusters: data.clusters, tasks: {big: many}}, ['big', BACK, 'big', many[4321].taskArn!])
    const askTask = io.askTask
    io.askTask = async (cluster, tasks, canGoBack) => {
      offered = tasks.length
      return askTask(cluster, tasks, canGoBack)
    }

    expect(await navigate(io)).to.deep.include({task: many[4321]})
    expect(offered).to.equal(5000)
    expect(log.filter((l) => l === 'fetch:tasks:big')).to.have.length(1)
  })

  it('previousStep: Back leads to the step before, never to a step given by flag', () => {
    expect(previousStep({at: 'task', cluster: 'c'}, {})).to.deep.equal({at: 'cluster'})
    expect(previousStep({at: 'task', cluster: 'c'}, {cluster: 'c'})).to.equal(undefined)
    expect(previousStep({at: 'container', cluster: 'c', task: single}, {cluster: 'c'})).to.deep.equal({at: 'task', cluster: 'c'})
    expect(previousStep({at: 'cluster'}, {})).to.equal(undefined)
  })
})
