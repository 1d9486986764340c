import type {Service} from '@aws-sdk/client-ecs'
import {expect} from 'chai'
import sinon from 'sinon'

import {type DateSource, pickRevision, serviceChoices} from '../../../src/lib/rollback/pick.js'
import type {LoadedDate} from '../../../src/lib/rollback/revision-dates.js'
import {BACK, type Choice, type LiveChoices, prompts} from '../../../src/lib/ui/prompts.js'

/** Dates kept in a map; `set` fills one in and tells the list, as the loader does. */
function dateSource(initial: Record<number, LoadedDate>) {
  const dates = new Map(Object.entries(initial).map(([k, v]) => [Number(k), v]))
  const listeners = new Set<() => void>()
  const asked: number[][] = []
  const source: DateSource & {asked: number[][]; set(revision: number, date: LoadedDate): void} = {
    asked,
    get: (revision) => dates.get(revision),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    prioritise: (revisions) => asked.push([...revisions]),
    set(revision, date) {
      dates.set(revision, date)
      for (const l of listeners) l()
    },
  }
  return source
}

describe('pickRevision', () => {
  afterEach(() => sinon.restore())
  const now = new Date('2026-12-03T12:00:00Z')
  const candidates = [
    {arn: 'a', lastSuccessful: false, newer: true, revision: 246},
    {arn: 'b', lastSuccessful: false, newer: false, revision: 244},
    {arn: 'c', lastSuccessful: true, newer: false, revision: 243},
  ]

  it('offers each revision with its age and marks, newest first as given, then Back', async () => {
    const search = sinon.stub(prompts, 'search').resolves(243)
    const dates = dateSource({243: null, 244: new Date('2026-12-01T12:00:00Z'), 246: new Date('2026-12-03T09:00:00Z')})
    const picked = await pickRevision('web', 245, candidates, dates, () => now)
    expect(picked).to.equal(243)
    const [message, choices] = search.firstCall.args as [string, Choice<unknown>[]]
    expect(message).to.equal('Roll back web:245 to')
    expect(choices.map((c) => [c.name, c.value])).to.deep.equal([
      ['web:246  3 hours ago  (newer than current)', 246],
      ['web:244  2 days ago', 244],
      ['web:243  (date not loaded)  (✓ last successful deployment before current)', 243],
      ['← Back', BACK],
    ])
    expect(choices[0].description).to.equal('registered 2026-12-03 09:00 UTC')
  })

  it('fills in dates while the list is shown, and says which rows are on screen', async () => {
    let live: LiveChoices<unknown> | undefined
    let latest: Choice<unknown>[] = []
    sinon.stub(prompts, 'search').callsFake(async (_message, choices, opts) => {
      live = opts?.live as LiveChoices<unknown>
      latest = choices
      live.subscribe((next) => {
        latest = next
      })
      live.onShow?.([244, 243, BACK])
      return 244
    })
    const dates = dateSource({246: new Date('2026-12-03T09:00:00Z')})
    await pickRevision('web', 245, candidates, dates, () => now)
    expect(latest[1]).to.include({description: 'loading its registration date…', name: 'web:244  …'})
    expect(dates.asked).to.deep.equal([[244, 243]])
    dates.set(244, new Date('2026-12-02T12:00:00Z'))
    expect(latest[1]).to.include({description: 'registered 2026-12-02 12:00 UTC', name: 'web:244  1 day ago'})
  })

  it('says so when there is nothing to roll back to', async () => {
    const search = sinon.stub(prompts, 'search').resolves(BACK)
    await pickRevision('solo', 1, [], dateSource({}))
    const choices = search.firstCall.args[1] as Choice<unknown>[]
    expect(choices.at(-2)).to.deep.include({disabled: 'nothing to roll back to', name: '(no other ACTIVE revision of solo)'})
    expect(choices.at(-1)).to.deep.include({name: '← Back', value: BACK})
  })
})

describe('serviceChoices', () => {
  it('puts revision, running/desired and rollout state on every row, in columns', () => {
    const td = (name: string) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/${name}`
    const services: Service[] = [
      {deployments: [{rolloutState: 'COMPLETED', status: 'PRIMARY'}], desiredCount: 3, runningCount: 3, serviceName: 'web', taskDefinition: td('web:597')},
      {
        deployments: [
          {rolloutState: 'IN_PROGRESS', status: 'PRIMARY'},
          {rolloutState: 'COMPLETED', status: 'ACTIVE'},
        ],
        desiredCount: 2,
        pendingCount: 2,
        runningCount: 0,
        serviceName: 'checkout',
        taskDefinition: td('checkout:14'),
      },
      {deployments: [], deploymentController: {type: 'CODE_DEPLOY'}, desiredCount: 1, runningCount: 1, serviceName: 'payments', taskDefinition: td('payments:4')},
    ]
    const rows = serviceChoices(services)
    expect(rows.map((r) => r.name)).to.deep.equal([
      'web       web:597      3/3 running  COMPLETED',
      'checkout  checkout:14  0/2 running  IN_PROGRESS, 2 deployments',
      'payments  payments:4   1/1 running',
    ])
    expect(rows[1].description).to.equal('2 pending')
    expect(rows[2].disabled).to.equal('CODE_DEPLOY: not by UpdateService')
    expect(rows.map((r) => r.value)).to.deep.equal(services)
  })
})
