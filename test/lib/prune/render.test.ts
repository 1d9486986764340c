import {expect} from 'chai'
import {PassThrough} from 'node:stream'

import type {ExecuteResult, PhaseProgress} from '../../../src/lib/prune/execute.js'
import {compactRanges, parseDuration, parseRanges} from '../../../src/lib/prune/filters.js'
import {NO_USAGE, planFamily, type Revision} from '../../../src/lib/prune/plan.js'
import {countProgress, withProgress} from '../../../src/lib/prune/progress.js'
import {formatDuration, progressLine, renderAnalysis, renderResults, renderSummary} from '../../../src/lib/prune/render.js'
import {plain} from '../../helpers/pty.js'

const ARN = (n: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${n}`

describe('prune filters and rendering', () => {
  it('parses durations and ranges, and rejects malformed ones with a reason', () => {
    expect(parseDuration('90d')).to.equal(90 * 86_400_000)
    expect(parseDuration('2w')).to.equal(14 * 86_400_000)
    expect(parseDuration('36h')).to.equal(36 * 3_600_000)
    expect(() => parseDuration('90')).to.throw(/not a duration/)
    expect(() => parseDuration('3 months')).to.throw(/not a duration/)
    expect(() => parseDuration('0d')).to.throw(/longer than zero/)
    expect(parseDuration('1w3d')).to.equal(10 * 86_400_000)
    // Unlike the shared parser, --older-than refuses units finer than an hour: "6m" would read as six months.
    expect(() => parseDuration('6m')).to.throw(/ambiguous \(minutes or months\?\).*180d/)
    expect(() => parseDuration('3mo')).to.throw(/ambiguous/)
    expect(() => parseDuration('30s')).to.throw(/use days, weeks or hours/)
    expect(() => parseDuration('500ms')).to.throw(/^"500ms": use days, weeks or hours/) // too fine, not ambiguous
    expect(() => parseDuration('1h30m')).to.throw(/ambiguous/)
    expect(parseRanges('1-400,410, 500-510')).to.deep.equal([
      {from: 1, to: 400},
      {from: 410, to: 410},
      {from: 500, to: 510},
    ])
    expect(() => parseRanges('400-1')).to.throw(/ends before it starts/)
    expect(() => parseRanges('0-3')).to.throw(/start at 1/)
    expect(() => parseRanges('1-,3')).to.throw(/not a revision range/)
    expect(() => parseRanges('')).to.throw(/not a revision range/)
    expect(compactRanges([5, 1, 2, 3, 9, 7, 8, 3])).to.equal('1-3, 5, 7-9')
  })

  it('groups a 5,000-revision family into a few lines, with in-use revisions on their own', () => {
    const revs: Revision[] = Array.from({length: 5000}, (_, i) => ({arn: ARN(i + 1), family: 'web', revision: i + 1, status: i < 2500 ? 'INACTIVE' : 'ACTIVE'}))
    const usage = {familyLatest: new Map(), revisions: new Map([['web:3000', ['service prod/api (PRIMARY)']]])}
    const lines = renderAnalysis(planFamily('web', revs, usage, {keep: 5}))
    expect(lines.length).to.be.lessThan(10)
    expect(lines.join('\n')).to.match(/5000\s+LATEST\s+protected/)
    expect(lines.join('\n')).to.match(/4996-4999\s+KEEP\s+kept/)
    expect(lines.join('\n')).to.match(/3000\s+IN-USE\s+protected\s+service prod\/api \(PRIMARY\)/)
    expect(lines.join('\n')).to.match(/1-2500\s+INACTIVE\s+delete\s+2500 revisions/)
    const summary = renderSummary(planFamily('web', revs, NO_USAGE, {keep: 5})).join('\n')
    expect(summary).to.contain('  to deregister:              2495  2501-4995')
    expect(summary).to.contain('  to delete (permanent):      4995  1-4995')
    expect(summary).to.contain('  kept (newest 5):               4  4996-4999')
  })

  it('the dry-run summary warns when KEEP revisions were ticked by hand, and only then', () => {
    const revs: Revision[] = Array.from({length: 10}, (_, i) => ({arn: ARN(i + 1), family: 'web', revision: i + 1, status: 'ACTIVE'}))
    expect(renderSummary(planFamily('web', revs, NO_USAGE, {keep: 5})).join('\n')).not.to.contain('KEEP')
    const ticked = renderSummary(planFamily('web', revs, NO_USAGE, {explicit: new Set([2, 3, 8, 9]), keep: 5})).join('\n')
    expect(ticked).to.contain('⚠ 2 KEEP revisions ticked by hand: 8-9. They are among the newest 5 ACTIVE')
    expect(ticked).to.match(/to deregister:\s+4\s+2-3, 8-9/)
    expect(renderAnalysis(planFamily('web', revs.slice(0, 1), NO_USAGE, {keep: 5}))[0]).to.match(/^web: 1 revision \(/)
  })

  it('progress lines give done/total, rate and time left; results list failures and what was not done', () => {
    const p: PhaseProgress = {done: 100, failed: 2, phase: 'deregister', total: 500}
    expect(progressLine(p, 102_000)).to.equal('deregister 102/500 (1.0/s, ~6m38s left, 2 failed)')
    expect(formatDuration(3_725_000)).to.equal('1h02m')
    const result: ExecuteResult = {
      cancelled: true,
      deleted: [ARN(1)],
      deregistered: [ARN(2)],
      elapsedMs: 1500,
      failures: [{arn: ARN(3), detail: 'still ACTIVE', phase: 'delete', reason: 'TASK_DEFINITION_ACTIVE'}],
      notDone: {delete: [ARN(4), ARN(5)], deregister: [ARN(5)]},
    }
    const lines = renderResults(result).join('\n')
    expect(lines).to.contain('Deregistered 1, deleted 1, failed 1 in 1.5s.')
    expect(lines).to.contain('Cancelled: 1 not deregistered, 2 not deleted. Run the same command again to finish.')
    expect(lines).to.contain(`${ARN(3)} (delete): TASK_DEFINITION_ACTIVE — still ACTIVE`)
  })

  it('without a TTY, progress goes to the stream as plain lines, each phase ending with its total', async () => {
    const stream = new PassThrough()
    let text = ''
    stream.on('data', (d) => (text += d))
    const result = await withProgress(
      async (onProgress) => {
        for (let i = 0; i <= 3; i++) onProgress({done: i, failed: 0, phase: 'deregister', total: 3})
        onProgress({done: 0, failed: 0, phase: 'delete', total: 0})
        return {cancelled: false, deleted: [], deregistered: [], elapsedMs: 1, failures: [], notDone: {delete: [], deregister: []}}
      },
      {intervalMs: 60_000, stream: stream as unknown as NodeJS.WriteStream, tty: false},
    )
    expect(result.cancelled).to.equal(false)
    const lines = text.trim().split('\n')
    expect(lines[0]).to.match(/^deregister 0\/3/)
    expect(lines.at(-1)).to.match(/^deregister 3\/3/)
    expect(text).not.to.contain('\u001B[') // no escape codes off a terminal
    expect(text).not.to.contain('delete 0/0')
  })

  it('on a terminal, a phase Ctrl-C stopped is shown as stopped, not done; an empty phase gets no line', async () => {
    const stream = new PassThrough()
    let text = ''
    stream.on('data', (d) => (text += d))
    await withProgress(
      async (onProgress) => {
        onProgress({done: 0, failed: 0, phase: 'deregister', total: 0}) // e.g. --inactive-only
        onProgress({done: 0, failed: 0, phase: 'delete', total: 30})
        await new Promise((r) => setTimeout(r, 20))
        onProgress({done: 10, failed: 0, phase: 'delete', total: 30})
        return {cancelled: true, deleted: [], deregistered: [], elapsedMs: 30, failures: [], notDone: {delete: [], deregister: []}}
      },
      {stream: stream as unknown as NodeJS.WriteStream, tty: true},
    )
    const shown = plain(text)
    expect(shown).to.contain('Delete stopped at 10/30 (Ctrl-C)')
    expect(shown).not.to.match(/✔ Delete/)
    expect(shown).not.to.match(/Deregister/)
  })

  it('on a terminal, phases that finished are titled with their progress line', async () => {
    const stream = new PassThrough()
    let text = ''
    stream.on('data', (d) => (text += d))
    await withProgress(
      async (onProgress) => {
        onProgress({done: 0, failed: 0, phase: 'deregister', total: 2})
        onProgress({done: 2, failed: 0, phase: 'deregister', total: 2})
        return {cancelled: false, deleted: [], deregistered: [], elapsedMs: 1, failures: [], notDone: {delete: [], deregister: []}}
      },
      {stream: stream as unknown as NodeJS.WriteStream, tty: true},
    )
    expect(plain(text)).to.match(/Deregister 2\/2 \(/).and.not.match(/Deregister: deregister/)
  })

  it('counts a long read on stderr: a first line, lines spaced in time, always the last; nothing for a short one', () => {
    const stream = new PassThrough()
    let text = ''
    stream.on('data', (d) => (text += d))
    const report = countProgress('Registration dates', {intervalMs: 60_000, min: 50, stream, tty: false})
    for (let done = 0; done <= 120; done++) report(done, 120)
    expect(text).to.equal('Registration dates 0/120\nRegistration dates 120/120\n')
    text = ''
    for (let done = 0; done <= 49; done++) report(done, 49)
    expect(text).to.equal('')
  })
})
