import {expect} from 'chai'
import fc from 'fast-check'

import {closeMatches, distance, suggestNames} from '../../../src/lib/text/similar.js'

describe('closeMatches', () => {
  it('finds typos and substrings, best first', () => {
    expect(distance('kitten', 'sitting')).to.equal(3)
    expect(closeMatches('eu-wset-1', ['eu-west-1', 'us-east-1', 'ap-south-1'])).to.deep.equal(['eu-west-1'])
    expect(closeMatches('web', ['web-api', 'worker', 'webhooks', 'db'])).to.deep.equal(['web-api', 'webhooks'])
    expect(closeMatches('zzzzzz', ['web', 'api'])).to.deep.equal([])
  })

  it('counts swapping two neighbouring letters as one edit (optimal string alignment)', () => {
    expect(distance('wbe', 'web')).to.equal(1)
    expect(distance('chekcout', 'checkout')).to.equal(1)
    // OSA edits no substring twice: "ca" → "abc" is 3, where unrestricted Damerau says 2.
    expect(distance('ca', 'abc')).to.equal(3)
    expect(closeMatches('wbe', ['web', 'worker', 'api', 'db'])).to.deep.equal(['web'])
    expect(closeMatches('prdo', ['prod', 'staging'])).to.deep.equal(['prod'])
  })

  it('is a distance: zero only for equal strings, symmetric, at most the longer length (property)', () => {
    const word = fc.string({maxLength: 8, unit: fc.constantFrom('a', 'b', 'c', 'd')})
    fc.assert(
      fc.property(word, word, (a, b) => {
        const d = distance(a, b)
        expect(d === 0).to.equal(a === b)
        expect(distance(b, a)).to.equal(d)
        expect(d).to.be.at.most(Math.max(a.length, b.length))
      }),
    )
  })
})

describe('suggestNames', () => {
  it('gives the close names, else all of them when there are few, else the fallback', () => {
    expect(suggestNames('wbe', ['web', 'api'], 'Services', 'x')).to.equal('Did you mean web?')
    expect(suggestNames('zzzz', ['web', 'api', 'db'], 'Services', 'x')).to.equal('Services: api, db, web.')
    const many = Array.from({length: 11}, (_, i) => `svc-${String.fromCodePoint(97 + i)}${i}`)
    expect(suggestNames('zzzz', many, 'Services', 'Pick one in a terminal.')).to.equal('Pick one in a terminal.')
  })
})
