import {expect} from 'chai'

import {isLoopbackHost, streamUrlProblem} from '../../../../src/lib/exec/ssm/stream-url.js'

describe('ssm stream URL check', () => {
  it('accepts wss:// anywhere', () => {
    expect(streamUrlProblem('wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/s-1?role=publish_subscribe')).to.equal(undefined)
  })

  it('accepts ws:// only for loopback hosts', () => {
    for (const url of ['ws://127.0.0.1:4566/ssm/data-channel/x', 'ws://localhost:1/x', 'ws://[::1]:80/x', 'ws://127.8.9.10/x']) {
      expect(streamUrlProblem(url), url).to.equal(undefined)
    }

    expect(streamUrlProblem('ws://ssmmessages.eu-west-1.amazonaws.com/x')).to.match(/only for a loopback endpoint/)
    expect(streamUrlProblem('ws://10.0.0.5/x')).to.match(/loopback/)
    expect(streamUrlProblem('ws://127.0.0.1.evil.example/x')).to.match(/loopback/)
  })

  it('refuses other schemes and non-URLs', () => {
    expect(streamUrlProblem('https://example.com/')).to.match(/must be wss/)
    expect(streamUrlProblem('not a url')).to.match(/not a URL/)
  })

  it('knows loopback forms', () => {
    expect(isLoopbackHost('LOCALHOST')).to.equal(true)
    expect(isLoopbackHost('::ffff:127.0.0.1')).to.equal(true)
    expect(isLoopbackHost('128.0.0.1')).to.equal(false)
  })
})
