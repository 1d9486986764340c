import {expect} from 'chai'
import fc from 'fast-check'

import {eligibleCount, NO_USAGE, planFamily, type Policy, type Revision, type Usage, workOf} from '../../../src/lib/prune/plan.js'

const ARN = (family: string, revision: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/${family}:${revision}`

function family(statuses: string, name = 'web'): Revision[] {
  // 'AAI' → revision 1 ACTIVE, 2 ACTIVE, 3 INACTIVE
  return [...statuses].map((s, i) => ({arn: ARN(name, i + 1), family: name, revision: i + 1, status: s === 'A' ? 'ACTIVE' : 'INACTIVE'}))
}

function usage(refs: string[] = [], latestOf: string[] = []): Usage {
  return {
    familyLatest: new Map(latestOf.map((f) => [f, ['rule default/nightly (target 1)']])),
    revisions: new Map(refs.map((r) => [r, ['service prod/api (PRIMARY)']])),
  }
}

const byRev = (plan: ReturnType<typeof planFamily>) => Object.fromEntries(plan.entries.map((e) => [e.revision, e]))

describe('prune plan', () => {
  it('badges: newest ACTIVE is LATEST, next keep−1 ACTIVE are KEEP, the rest ACTIVE/INACTIVE', () => {
    const plan = planFamily('web', family('AAAAAIAA'), NO_USAGE, {keep: 3})
    expect(plan.entries.map((e) => `${e.revision}:${e.badge}`)).to.deep.equal([
      '8:LATEST',
      '7:KEEP',
      '6:INACTIVE',
      '5:KEEP',
      '4:ACTIVE',
      '3:ACTIVE',
      '2:ACTIVE',
      '1:ACTIVE',
    ])
  })

  it('pre-selects eligible revisions beyond the newest N with the right action', () => {
    const plan = planFamily('web', family('AAIAAIAA'), NO_USAGE, {keep: 2})
    const r = byRev(plan)
    expect(r[8].selected).to.equal(false)
    expect(r[7].selected).to.equal(false)
    expect(r[6]).to.include({action: 'delete', selected: true})
    expect(r[5]).to.include({action: 'deregister-delete', selected: true})
    expect(plan.summary).to.include({kept: 1, protected: 1, selected: 6, toDelete: 6, toDeregister: 4})
  })

  it('IN-USE protects ACTIVE and INACTIVE revisions, and a family reference protects the latest', () => {
    const plan = planFamily('web', family('AIAAA'), usage(['web:2', 'web:1', 'api:3']), {keep: 1})
    const r = byRev(plan)
    expect(r[1].badge).to.equal('IN-USE')
    expect(r[2].badge).to.equal('IN-USE')
    expect(r[1].selected || r[2].selected).to.equal(false)
    expect(r[1].usedBy).to.deep.equal(['service prod/api (PRIMARY)'])
    const viaRule = planFamily('web', family('AAI'), usage([], ['web']), {keep: 1})
    expect(byRev(viaRule)[2]).to.include({badge: 'LATEST', selected: false})
    expect(byRev(viaRule)[2].usedBy).to.deep.equal(['rule default/nightly (target 1)'])
  })

  it('a family whose only revision is the latest has nothing to prune', () => {
    const plan = planFamily('web', family('A'), NO_USAGE, {keep: 1})
    expect(plan.summary.selected).to.equal(0)
    expect(eligibleCount(plan)).to.equal(0)
  })

  it('a family with only INACTIVE revisions has no LATEST and all are deletable', () => {
    const plan = planFamily('web', family('III'), NO_USAGE, {keep: 5})
    expect(plan.entries.every((e) => e.badge === 'INACTIVE' && e.action === 'delete')).to.equal(true)
  })

  it('--inactive-only deletes INACTIVE ones and deregisters nothing', () => {
    const plan = planFamily('web', family('AIAIAA'), NO_USAGE, {inactiveOnly: true, keep: 1})
    expect(plan.entries.filter((e) => e.selected).map((e) => e.revision)).to.deep.equal([4, 2])
    expect(plan.summary.toDeregister).to.equal(0)
  })

  it('--deregister-only deregisters and never deletes', () => {
    const plan = planFamily('web', family('AIAIAA'), NO_USAGE, {deregisterOnly: true, keep: 1})
    expect(plan.entries.filter((e) => e.selected).map((e) => `${e.revision}:${e.action}`)).to.deep.equal(['5:deregister', '3:deregister', '1:deregister'])
    expect(plan.summary.toDelete).to.equal(0)
  })

  it('--revisions and --older-than narrow the selection; undated revisions are not selected by age', () => {
    const revs = family('AAAAAA')
    const now = new Date('2026-06-01T00:00:00Z')
    revs.forEach((r, i) => (r.registeredAt = new Date(now.getTime() - (10 - i) * 86_400_000))) // rev1 10 days old … rev6 5 days
    delete revs[0].registeredAt
    const byRange = planFamily('web', revs, NO_USAGE, {keep: 1, ranges: [{from: 2, to: 3}]})
    expect(byRange.entries.filter((e) => e.selected).map((e) => e.revision)).to.deep.equal([3, 2])
    const byAge = planFamily('web', revs, NO_USAGE, {keep: 1, now, olderThanMs: 7.5 * 86_400_000})
    expect(byAge.entries.filter((e) => e.selected).map((e) => e.revision)).to.deep.equal([3, 2])
  })

  it('an explicit selection may take KEEP revisions but never LATEST or IN-USE', () => {
    const plan = planFamily('web', family('AAAAA'), usage(['web:2']), {explicit: new Set([1, 2, 4, 5]), keep: 3})
    expect(plan.entries.filter((e) => e.selected).map((e) => e.revision)).to.deep.equal([4, 1])
    expect(byRev(plan)[4].badge).to.equal('KEEP')
  })

  it('rejects keep below 1', () => {
    expect(() => planFamily('web', family('A'), NO_USAGE, {keep: 0})).to.throw(RangeError)
  })

  it('work lists deregistrations oldest first and deletes of INACTIVE ones', () => {
    const plan = planFamily('web', family('AIAAA'), NO_USAGE, {keep: 2})
    const work = workOf([plan])
    expect(work.deregister).to.deep.equal([ARN('web', 1), ARN('web', 3)])
    expect(work.delete).to.deep.equal([ARN('web', 2)])
    expect([...work.deleteAfterDeregister]).to.deep.equal([ARN('web', 1), ARN('web', 3)])
  })

  describe('safety properties (fast-check)', () => {
    const now = new Date('2026-06-01T00:00:00Z')
    const scenario = fc
      .record({
        explicit: fc.option(fc.uniqueArray(fc.integer({max: 60, min: 1}), {maxLength: 60}), {nil: undefined}),
        familyRef: fc.boolean(),
        keep: fc.integer({max: 10, min: 1}),
        mode: fc.constantFrom('both', 'inactiveOnly', 'deregisterOnly'),
        olderThanDays: fc.option(fc.integer({max: 100, min: 1}), {nil: undefined}),
        range: fc.option(fc.tuple(fc.integer({max: 60, min: 1}), fc.integer({max: 60, min: 0})), {nil: undefined}),
        revisions: fc.array(fc.record({ageDays: fc.option(fc.integer({max: 200, min: 0}), {nil: undefined}), active: fc.boolean()}), {
          maxLength: 60,
          minLength: 0,
        }),
        used: fc.uniqueArray(fc.integer({max: 60, min: 1}), {maxLength: 15}),
      })
      .map((s) => {
        const revisions: Revision[] = s.revisions.map((r, i) => ({
          arn: ARN('web', i + 1),
          family: 'web',
          registeredAt: r.ageDays === undefined ? undefined : new Date(now.getTime() - r.ageDays * 86_400_000),
          revision: i + 1,
          status: r.active ? 'ACTIVE' : 'INACTIVE',
        }))
        const policy: Policy = {
          explicit: s.explicit ? new Set(s.explicit) : undefined,
          inactiveOnly: s.mode === 'inactiveOnly',
          deregisterOnly: s.mode === 'deregisterOnly',
          keep: s.keep,
          now,
          olderThanMs: s.olderThanDays === undefined ? undefined : s.olderThanDays * 86_400_000,
          ranges: s.range ? [{from: s.range[0], to: s.range[0] + s.range[1]}] : undefined,
        }
        return {policy, revisions, usage: usage(s.used.map((n) => `web:${n}`), s.familyRef ? ['web'] : [])}
      })

    it('never selects the latest ACTIVE revision, an in-use one, or a kept one without explicit selection', () => {
      fc.assert(
        fc.property(scenario, ({policy, revisions, usage: u}) => {
          const plan = planFamily('web', revisions, u, policy)
          const active = revisions.filter((r) => r.status === 'ACTIVE').sort((a, b) => b.revision - a.revision)
          const latest = active[0]?.revision
          const newestN = new Set(active.slice(0, policy.keep).map((r) => r.revision))
          for (const e of plan.entries) {
            if (!e.selected) continue
            if (e.revision === latest) return false
            if (u.revisions.has(`web:${e.revision}`)) return false
            if (newestN.has(e.revision) && !policy.explicit?.has(e.revision)) return false
          }

          return true
        }),
        {numRuns: 500},
      )
    })

    it('filters and modes only narrow: every selected revision passes them, actions follow the status', () => {
      fc.assert(
        fc.property(scenario, ({policy, revisions, usage: u}) => {
          const plan = planFamily('web', revisions, u, policy)
          for (const e of plan.entries.filter((x) => x.selected)) {
            if (policy.inactiveOnly && (e.status !== 'INACTIVE' || e.action !== 'delete')) return false
            if (policy.deregisterOnly && e.action !== 'deregister') return false
            if (e.status === 'INACTIVE' && e.action !== 'delete') return false
            if (!policy.explicit) {
              if (policy.ranges && !policy.ranges.some((r) => e.revision >= r.from && e.revision <= r.to)) return false
              if (policy.olderThanMs !== undefined && (!e.registeredAt || e.registeredAt.getTime() > now.getTime() - policy.olderThanMs)) return false
            }
          }

          const s = plan.summary
          return s.protected + s.kept + s.unselected + s.selected === s.total && s.total === revisions.length
        }),
        {numRuns: 500},
      )
    })
  })
})
