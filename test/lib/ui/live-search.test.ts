import {expect} from 'chai'
import {PassThrough} from 'node:stream'

import {liveSearch} from '../../../src/lib/ui/live-search.js'
import type {Choice} from '../../../src/lib/ui/prompts.js'

const ESC = String.fromCodePoint(27)
const ANSI = new RegExp(`${ESC}\\[[\\d;?]*[A-Za-z]`, 'g')
const settle = () => new Promise((r) => setTimeout(r, 15))

/** The prompt on an in-memory terminal: what it last drew, and a way to type. */
function open<T>(choices: Choice<T>[], pageSize = 5) {
  const input = new PassThrough()
  const output = new PassThrough()
  let drawn = ''
  output.on('data', (chunk: Buffer) => {
    drawn += chunk.toString()
  })
  let update: (next: Choice<T>[]) => void = () => {}
  const shown: T[][] = []
  const answer = (liveSearch as any)(
    {
      choices,
      live: {
        onShow: (values: T[]) => shown.push(values),
        subscribe(fn: (next: Choice<T>[]) => void) {
          update = fn
          return () => {}
        },
      },
      message: 'Pick',
      pageSize,
    },
    {input, output},
  ) as Promise<T>
  return {
    answer,
    /** The last frame drawn, without escape codes. */
    frame: () => drawn.slice(drawn.lastIndexOf('? Pick')).replaceAll(ANSI, ''),
    push: (next: Choice<T>[]) => update(next),
    shown,
    type: async (keys: string) => {
      input.write(keys)
      await settle()
    },
  }
}

describe('liveSearch (a search list that follows updates)', () => {
  it('redraws rows when they change while shown, keeping the cursor on its row', async () => {
    const t = open([
      {name: 'web:3  …', value: 3},
      {name: 'web:2  …', value: 2},
      {name: 'web:1  …', value: 1},
    ])
    await settle()
    await t.type('\u001B[B') // down: web:2
    expect(t.frame()).to.contain('❯ web:2  …')
    t.push([
      {name: 'web:3  1 hour ago', value: 3},
      {name: 'web:2  2 days ago', value: 2},
      {name: 'web:1  3 days ago', value: 1},
    ])
    await settle()
    expect(t.frame()).to.contain('❯ web:2  2 days ago')
    expect(t.frame()).to.contain('  web:1  3 days ago')
    await t.type('\r')
    expect(await t.answer).to.equal(2)
  })

  it('filters by what is typed, skips disabled rows, and reports the rows on screen', async () => {
    const t = open(
      [
        ...Array.from({length: 12}, (_, i) => ({name: `web:${12 - i}`, value: 12 - i})),
        {disabled: 'nothing here', name: '(none)', value: 0},
        {name: '← Back', value: -1},
      ],
      3,
    )
    await settle()
    expect(t.shown[0]).to.deep.equal([12, 11, 10])
    await t.type('web:1')
    expect(t.frame()).to.match(/❯ web:12\n {2}web:11\n {2}web:10\n/)
    await t.type('0')
    expect(t.frame()).to.contain('❯ web:10')
    expect(t.frame()).not.to.contain('web:11')
    await t.type('\u0008'.repeat(6))
    await t.type('\u001B[B'.repeat(11))
    expect(t.frame()).to.contain('❯ web:1\n')
    // Down again passes over the disabled row.
    await t.type('\u001B[B')
    expect(t.frame()).to.match(/- \(none\) nothing here\n❯ ← Back/)
    await t.type('\r')
    expect(await t.answer).to.equal(-1)
  })

  it('says when nothing matches, and Enter then selects nothing', async () => {
    const t = open([{name: 'web:1', value: 1}])
    await settle()
    await t.type('zz')
    expect(t.frame()).to.contain('No results found')
    await t.type('\r')
    await t.type('\u0008\u0008\r')
    expect(await t.answer).to.equal(1)
  })
})
