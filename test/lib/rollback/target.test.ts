import {expect} from 'chai'
import fc from 'fast-check'

import {ago, formatDuration, parseDuration, when} from '../../../src/lib/text/duration.js'
import {addMark, isMarked, markKey, readMarks} from '../../../src/lib/rollback/marker.js'
import {serviceRefusal} from '../../../src/lib/rollback/safety.js'
import {arnScope, nearestRevisions, nextOlderRevision, parseTarget, revisionArn, TargetSyntaxError} from '../../../src/lib/rollback/target.js'

describe('parseTarget', () => {
  it('reads every way of naming the target', () => {
    expect(parseTarget({'to-revision': 243})).to.deep.equal({kind: 'revision', revision: 243})
    expect(parseTarget({to: '243'})).to.deep.equal({kind: 'revision', revision: 243})
    expect(parseTarget({to: 'web:243'})).to.deep.equal({family: 'web', kind: 'named', revision: 243})
    expect(parseTarget({to: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web-api_v2:7'})).to.deep.equal({
      // The ARN is kept: its account and region are checked against the service's.
      arn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web-api_v2:7',
      family: 'web-api_v2',
      kind: 'named',
      revision: 7,
    })
    expect(parseTarget({previous: true})).to.deep.equal({kind: 'previous'})
    expect(parseTarget({})).to.equal(undefined)
  })

  it('rejects what is not a revision', () => {
    for (const to of ['web', 'web:latest', 'web:0', '0', '00', 'arn:aws:ecs:eu-west-1:1:service/x']) {
      expect(() => parseTarget({to}), to).to.throw(TargetSyntaxError)
    }
  })
})

describe('revision arithmetic', () => {
  it('nearestRevisions: closest first, newer first on ties, no duplicates', () => {
    expect(nearestRevisions(250, [245, 244, 243, 200, 5])).to.deep.equal([245, 244, 243, 200, 5])
    expect(nearestRevisions(10, [8, 12, 9, 11, 11], 3)).to.deep.equal([11, 9, 12])
    expect(nearestRevisions(1, [])).to.deep.equal([])
  })

  it('nextOlderRevision: the newest one below the current', () => {
    expect(nextOlderRevision(245, [246, 245, 240, 243, 12])).to.equal(243)
    expect(nextOlderRevision(5, [5, 6])).to.equal(undefined)
  })

  it('arnScope reads account and region from an ARN, nothing from a name', () => {
    expect(arnScope('arn:aws:ecs:us-east-1:999999999999:task-definition/web:595')).to.deep.equal({account: '999999999999', region: 'us-east-1'})
    expect(arnScope('web:595')).to.equal(undefined)
    expect(arnScope(undefined)).to.equal(undefined)
  })

  it('revisionArn keeps account and region', () => {
    expect(revisionArn('arn:aws:ecs:eu-west-1:123456789012:task-definition/web:245', 'web', 243)).to.equal(
      'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:243',
    )
    expect(revisionArn('web:245', 'web', 243)).to.equal('web:243')
  })
})

describe('durations', () => {
  it('parses what people type', () => {
    expect(parseDuration('90s')).to.equal(90_000)
    expect(parseDuration('10m')).to.equal(600_000)
    expect(parseDuration('1h30m')).to.equal(5_400_000)
    expect(parseDuration('1.5h')).to.equal(5_400_000)
    expect(parseDuration('500ms')).to.equal(500)
    expect(parseDuration('45')).to.equal(45_000)
    expect(parseDuration(' 2M ')).to.equal(120_000)
    expect(parseDuration('90d')).to.equal(90 * 86_400_000)
    expect(parseDuration('1w3d')).to.equal(10 * 86_400_000)
    for (const bad of ['', 'ten minutes', '10 m', '-5s', '5y', '3mo', 'm']) expect(parseDuration(bad), bad).to.equal(undefined)
  })

  it('formats and parses back (property)', () => {
    fc.assert(fc.property(fc.integer({max: 100_000, min: 1}), (s) => parseDuration(formatDuration(s * 1000)) === s * 1000))
    expect(formatDuration(125_000)).to.equal('2m5s')
    expect(formatDuration(300)).to.equal('0.3s')
    expect(formatDuration(0)).to.equal('0s')
  })

  it('says how long ago, in one fixed date format', () => {
    const now = new Date('2026-12-03T12:00:00Z')
    expect(ago('2026-12-03T11:59:30Z', now)).to.equal('just now')
    expect(ago('2026-12-03T09:00:00Z', now)).to.equal('3 hours ago')
    expect(ago('2026-11-30T12:00:00Z', now)).to.equal('3 days ago')
    expect(ago('2025-12-01T12:00:00Z', now)).to.equal('1 year ago')
    expect(ago('2026-12-03T12:05:00Z', now)).to.equal('in 5 minutes')
    expect(when('2026-11-30T10:00:59Z')).to.equal('2026-11-30 10:00 UTC')
  })
})

describe('taskonaut marks (service tag)', () => {
  const ARN = 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/web/NCWGC2ZR-taZ6dOmfsZxa'

  it('stores the short id, newest first, without duplicates', () => {
    expect(markKey(ARN)).to.equal('NCWGC2ZR-taZ6dOmfsZxa')
    expect(markKey('ecs-svc/123')).to.equal('ecs-svc/123')
    expect(addMark('b a', 'c')).to.equal('c b a')
    expect(addMark('c b a', 'b')).to.equal('b c a')
    expect(isMarked(readMarks('x NCWGC2ZR-taZ6dOmfsZxa'), undefined, ARN)).to.equal(true)
    expect(isMarked(readMarks('x'), ARN)).to.equal(false)
  })

  it('never exceeds the 256 characters of a tag value and keeps the newest (property)', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9_-]{20,22}$/)
    fc.assert(
      fc.property(fc.array(id, {maxLength: 40}), id, (older, newest) => {
        const value = addMark(older.join(' '), newest)
        expect(value.length).to.be.at.most(256)
        expect(readMarks(value)[0]).to.equal(newest)
      }),
    )
  })
})

describe('serviceRefusal', () => {
  it('refuses CODE_DEPLOY and EXTERNAL services with what to do instead, and draining ones', () => {
    expect(serviceRefusal({deploymentController: {type: 'CODE_DEPLOY'}, serviceName: 'pay'})?.suggestions[0]).to.contain('aws deploy stop-deployment')
    expect(serviceRefusal({deploymentController: {type: 'EXTERNAL'}, serviceName: 'x'})?.suggestions[0]).to.contain('create-task-set')
    expect(serviceRefusal({serviceName: 'x', status: 'DRAINING'})?.message).to.contain('DRAINING')
    expect(serviceRefusal({deploymentController: {type: 'ECS'}, serviceName: 'web', status: 'ACTIVE'})).to.equal(undefined)
    expect(serviceRefusal({serviceName: 'web'})).to.equal(undefined)
  })
})
