import {expect} from 'chai'

import {closeMatches, distance} from '../../../src/lib/text/similar.js'

describe('closeMatches', () => {
  it('finds typos and substrings, best first', () => {
    expect(distance('kitten', 'sitting')).to.equal(3)
    expect(closeMatches('eu-wset-1', ['eu-west-1', 'us-east-1', 'ap-south-1'])).to.deep.equal(['eu-west-1'])
    expect(closeMatches('web', ['web-api', 'worker', 'webhooks', 'db'])).to.deep.equal(['web-api', 'webhooks'])
    expect(closeMatches('zzzzzz', ['web', 'api'])).to.deep.equal([])
  })
})
