import {expect} from 'chai'

import {clusterFromTaskArn, runningIdsHint} from '../../../src/lib/exec/resolve.js'

describe('exec task resolution', () => {
  it('a long-format task ARN names its cluster; an id or an old-format ARN does not', () => {
    expect(clusterFromTaskArn('arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef0123456789abcdef')).to.equal('prod')
    expect(clusterFromTaskArn('0123456789abcdef0123456789abcdef')).to.equal(undefined)
    expect(clusterFromTaskArn('arn:aws:ecs:eu-west-1:123456789012:task/0123abcd-0000-1111-2222-333344445555')).to.equal(undefined)
  })

  describe('the hint for an unknown task with nothing close', () => {
    const cluster = 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod'
    const id = (n: number) => `${String(n).padStart(8, '0')}${'a'.repeat(24)}`

    it('a few ids: all of them, short, sorted, nothing more to say', () => {
      expect(runningIdsHint(cluster, [id(3), id(1), id(2)])).to.equal('Running tasks: 00000001, 00000002, 00000003.')
    })

    it('many ids: the first five and how many more, with the way to see them all', () => {
      const ids = Array.from({length: 17}, (_, i) => id(17 - i))
      expect(runningIdsHint(cluster, ids)).to.equal(
        'Running tasks: 00000001, 00000002, 00000003, 00000004, 00000005 and 12 more (pick from all of them: taskonaut exec --cluster prod).',
      )
    })

    it('none running: says so instead of an empty list', () => {
      expect(runningIdsHint(cluster, [])).to.equal('Cluster prod has no running tasks; start one, or pick another cluster with --cluster.')
    })
  })
})
