import {expect} from 'chai'
import fc from 'fast-check'

import {clusterFromTaskArn} from '../../../src/lib/exec/resolve.js'
import {isFullTaskId, isTaskArn, matchTask, newestTask, pickContainer, sortTasks} from '../../../src/lib/exec/pick.js'
import {fakeContainer, fakeTask} from './fake-tasks.js'

const arn = (id: string) => `arn:aws:ecs:eu-west-1:123456789012:task/prod/${id}`

describe('exec task and container picking', () => {
  const ids = ['3f2a9c1d00000000000000000000000a', '3f2a9c1d00000000000000000000000b', '7777aaaa00000000000000000000000c']
  const arns = ids.map((id) => arn(id))

  it('matches an exact id, an ARN, or a unique prefix', () => {
    expect(matchTask(ids[2], arns)).to.deep.equal({arn: arns[2], kind: 'one'})
    expect(matchTask(arns[0], arns)).to.deep.equal({arn: arns[0], kind: 'one'})
    expect(matchTask('7777', arns)).to.deep.equal({arn: arns[2], kind: 'one'})
    expect(matchTask('3F2A', arns)).to.deep.equal({arns: arns.slice(0, 2), kind: 'many'})
    expect(matchTask('beef', arns)).to.deep.equal({kind: 'none'})
  })

  it('an exact id wins over being the prefix of another', () => {
    const short = arn('abc')
    expect(matchTask('abc', [arn('abcdef'), short])).to.deep.equal({arn: short, kind: 'one'})
  })

  it('property: every id of a list matches itself and only itself', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[\da-f]{32}$/), {maxLength: 30, minLength: 1}), (list) => {
        const all = list.map((id) => arn(id))
        for (const [i, id] of list.entries()) expect(matchTask(id, all)).to.deep.equal({arn: all[i], kind: 'one'})
      }),
    )
  })

  it('recognises ARNs and full ids, and reads the cluster from a long ARN', () => {
    expect(isTaskArn(arns[0])).to.equal(true)
    expect(isTaskArn('3f2a')).to.equal(false)
    expect(isFullTaskId(ids[0])).to.equal(true)
    expect(isFullTaskId('1d7f3a1e-6c4b-4c0e-9f7a-0123456789ab')).to.equal(true)
    expect(isFullTaskId('3f2a9c1d')).to.equal(false)
    expect(clusterFromTaskArn(arns[0])).to.equal('prod')
    expect(clusterFromTaskArn('arn:aws:ecs:eu-west-1:123456789012:task/1d7f3a1e-6c4b-4c0e-9f7a-0123456789ab')).to.equal(undefined)
  })

  it('newest task is the latest started', () => {
    const old = fakeTask({startedAt: new Date('2026-01-01')})
    const young = fakeTask({startedAt: new Date('2026-06-01')})
    expect(newestTask([old, young, fakeTask({startedAt: new Date('2025-01-01')})])).to.equal(young)
    expect(newestTask([])).to.equal(undefined)
  })

  it('sorts tasks by group, newest first within a group', () => {
    const a1 = fakeTask({group: 'service:api', startedAt: new Date('2026-01-01')})
    const a2 = fakeTask({group: 'service:api', startedAt: new Date('2026-02-01')})
    const w = fakeTask({group: 'service:web'})
    expect(sortTasks([w, a1, a2])).to.deep.equal([a2, a1, w])
  })

  it('picks the named container, the only one, or asks among several', () => {
    const one = fakeTask()
    expect(pickContainer(one)).to.deep.include({kind: 'one'})
    const two = fakeTask({containers: [fakeContainer('app'), fakeContainer('envoy')]})
    expect(pickContainer(two).kind).to.equal('ask')
    expect(pickContainer(two, 'envoy')).to.deep.equal({container: two.containers![1], kind: 'one'})
    expect(pickContainer(two, 'nginx')).to.deep.equal({kind: 'unknown', names: ['app', 'envoy']})
    expect(pickContainer(fakeTask({containers: []}))).to.deep.equal({kind: 'none'})
  })
})
