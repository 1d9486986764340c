import {expect} from 'chai'
import {PassThrough} from 'node:stream'

import {jumpTarget, multiSelect, type MultiSelectChoice} from '../../../src/lib/ui/multi-select.js'
import {plain} from '../../helpers/pty.js'

const KEY = {down: '\u001B[B', end: '\u001B[F', enter: '\r', home: '\u001B[H', pageDown: '\u001B[6~', pageUp: '\u001B[5~', up: '\u001B[A'}

/** 600 revisions newest first, like prune's checkbox: 600 LATEST (disabled), 599-596 KEEP (guarded), the rest eligible. */
function revisions(): MultiSelectChoice<number>[] {
  return Array.from({length: 600}, (_, i) => {
    const revision = 600 - i
    return {
      disabled: revision === 600 ? 'protected' : false,
      guarded: revision >= 596 && revision < 600,
      key: String(revision),
      name: `${revision}`,
      value: revision,
    }
  })
}

/** Runs the prompt on fake streams; `keys` are typed one event at a time (a pause between them). */
async function run<T>(choices: MultiSelectChoice<T>[], keys: string[], opts: {summarize?: (v: T[]) => string; pause?: number} = {}) {
  const input = new PassThrough()
  const output = new PassThrough()
  let screen = ''
  output.on('data', (d) => (screen += d))
  const answer = multiSelect({choices, message: 'Revisions', pageSize: 10, summarize: opts.summarize}, {input, output})
  for (const key of keys) {
    input.write(key)
    await new Promise((r) => setTimeout(r, opts.pause ?? 5))
  }

  return {answer: await answer, screen: plain(screen)}
}

describe('multi-select (long lists)', () => {
  it('digits jump to the row with that key and never tick anything, KEEP rows included', async () => {
    const {answer, screen} = await run(revisions(), ['5', '9', '8', ' ', KEY.enter])
    // "5" → 5, "59" → 59, "598" → 598 (a KEEP row); only the space ticked it.
    expect(answer).to.deep.equal([598])
    expect(screen).to.contain('❯◉ 598')
  })

  it('typing "23" goes to revision 23, not to the rows at positions 2 and 3', async () => {
    const {answer} = await run(revisions(), ['2', '3', KEY.enter])
    expect(answer).to.deep.equal([])
    const ticked = await run(revisions(), ['2', '3', ' ', KEY.enter])
    expect(ticked.answer).to.deep.equal([23])
  })

  it('digits typed a while apart start a new jump', async () => {
    const {answer} = await run(revisions(), ['5', '9', ' ', KEY.enter], {pause: 1100})
    expect(answer).to.deep.equal([9])
  })

  it('PgDn/PgUp move a page, Home/End to the ends', async () => {
    // Start on 600; PgDn twice → row 21 (580), space; End → 1, space; PgUp → 11, space; Home → 600 (protected).
    const {answer, screen} = await run(revisions(), [KEY.pageDown, KEY.pageDown, ' ', KEY.end, ' ', KEY.pageUp, ' ', KEY.home, ' ', KEY.enter])
    expect(answer.sort((a, b) => a - b)).to.deep.equal([1, 11, 580])
    expect(screen).to.contain('Cannot be ticked: protected.')
  })

  it('"a" ticks every row but the guarded (KEEP) and disabled ones; again, unticks all', async () => {
    const all = await run(revisions(), ['a', KEY.enter])
    expect(all.answer).to.have.length(595)
    expect(all.answer).not.to.include.members([596, 597, 598, 599, 600])
    const none = await run(revisions(), ['5', '9', '7', ' ', 'a', 'a', KEY.enter])
    expect(none.answer).to.deep.equal([])
  })

  it('an "a" that goes on with a name being typed jumps with it instead of ticking every row', async () => {
    const clusters = ['prod', 'qa', 'staging'].map((name) => ({key: name, name, value: name}))
    const {answer} = await run(clusters, ['s', 't', 'a', 'g', ' ', KEY.enter])
    expect(answer).to.deep.equal(['staging'])
    // Typed afresh, or where no key goes on with it, "a" is still "all".
    expect((await run(clusters, ['a', KEY.enter])).answer).to.have.length(3)
    expect((await run(revisions(), ['5', 'a', KEY.enter])).answer).to.have.length(595)
  })

  it('after Enter the answer line is the summary, not every row', async () => {
    const {screen} = await run(revisions(), ['a', KEY.enter], {summarize: (v) => `${v.length} selected`})
    const last = screen.trimEnd().split('\n').at(-1)!
    expect(last).to.match(/Revisions 595 selected$/)
    expect(screen).to.contain('0 of 599 ticked')
  })

  it('pre-checked rows come back; disabled ones never do', async () => {
    const choices = revisions().map((c) => ({...c, checked: c.value >= 590}))
    const {answer} = await run(choices, [KEY.enter])
    expect(answer.sort((a, b) => a - b)).to.deep.equal([590, 591, 592, 593, 594, 595, 596, 597, 598, 599])
  })

  it('jumpTarget prefers an exact key, then the first key starting with the text', () => {
    const keys = ['620', '619', '62', '6', '23', '2']
    expect(jumpTarget(keys, '6')).to.equal(3)
    expect(jumpTarget(keys, '61')).to.equal(1)
    expect(jumpTarget(keys, '7')).to.equal(-1)
  })
})
