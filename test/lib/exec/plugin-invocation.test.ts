import {expect} from 'chai'

import {defaultEcsEndpoint, pluginInvocation, SESSION_ENV_PREFIX, sessionTarget} from '../../../src/lib/exec/plugin-invocation.js'

const session = {sessionId: 'ecs-execute-command-0abc', streamUrl: 'wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/x', tokenValue: 'SECRET-TOKEN'}

describe('session-manager-plugin invocation', () => {
  it('is the seven-argument form in the AWS CLI order, with the session only in the environment', () => {
    const inv = pluginInvocation({
      endpoint: 'https://ecs.eu-west-1.amazonaws.com',
      nonce: 'n1',
      profile: 'acme.prod',
      region: 'eu-west-1',
      session,
      target: 'ecs:prod_abc_rt1',
    })
    expect(inv.args).to.deep.equal([
      `${SESSION_ENV_PREFIX}_n1`,
      'eu-west-1',
      'StartSession',
      'acme.prod',
      '{"Target":"ecs:prod_abc_rt1"}',
      'https://ecs.eu-west-1.amazonaws.com',
    ])
    expect(inv.args.join(' ')).not.to.include('SECRET-TOKEN')
    expect(JSON.parse(inv.env[`${SESSION_ENV_PREFIX}_n1`])).to.deep.equal({
      SessionId: session.sessionId,
      StreamUrl: session.streamUrl,
      TokenValue: 'SECRET-TOKEN',
    })
    // With a profile the plugin reads the profile itself: no keys are handed over.
    expect(Object.keys(inv.env)).to.deep.equal([`${SESSION_ENV_PREFIX}_n1`])
  })

  it('without a profile, passes an empty profile and the resolved credentials in the environment', () => {
    const inv = pluginInvocation({
      credentials: {accessKeyId: 'AKID', secretAccessKey: 'SECRET', sessionToken: 'TOKEN'},
      endpoint: 'http://127.0.0.1:4566',
      region: 'eu-west-1',
      session,
      target: 't',
    })
    expect(inv.args[3]).to.equal('')
    expect(inv.args).to.have.length(6)
    expect(inv.env).to.include({AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'SECRET', AWS_SESSION_TOKEN: 'TOKEN'})
    expect(inv.args.join(' ')).not.to.include('SECRET').and.not.include('AKID')
  })

  it('uses a fresh variable name each time, always starting with the prefix the plugin looks for', () => {
    const a = pluginInvocation({endpoint: 'e', region: 'r', session, target: 't'}).args[0]
    const b = pluginInvocation({endpoint: 'e', region: 'r', session, target: 't'}).args[0]
    expect(a).to.match(/^AWS_SSM_START_SESSION_RESPONSE_[\da-f]{12}$/)
    expect(a).not.to.equal(b)
  })

  it('builds the target and the public endpoint (China regions included)', () => {
    expect(sessionTarget('prod', 'abc123', '9f-rt')).to.equal('ecs:prod_abc123_9f-rt')
    expect(defaultEcsEndpoint('eu-west-1')).to.equal('https://ecs.eu-west-1.amazonaws.com')
    expect(defaultEcsEndpoint('cn-north-1')).to.equal('https://ecs.cn-north-1.amazonaws.com.cn')
  })
})
