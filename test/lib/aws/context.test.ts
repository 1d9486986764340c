import {expect} from 'chai'

import {endpointFor, MissingRegionError, resolveContext} from '../../../src/lib/aws/context.js'

const none = () => undefined

describe('resolveContext precedence', () => {
  it('flag beats environment beats config beats the profile region', () => {
    const env = {AWS_DEFAULT_REGION: 'us-west-2', AWS_REGION: 'us-east-1'}
    const settings = {profile: 'saved', region: 'eu-central-1'}
    const profileRegion = () => 'ap-south-1'
    expect(resolveContext({env, flags: {region: 'eu-west-1'}, profileRegion, settings})).to.include({region: 'eu-west-1', regionSource: 'flag'})
    expect(resolveContext({env, flags: {}, profileRegion, settings})).to.include({region: 'us-east-1', regionSource: 'AWS_REGION'})
    expect(resolveContext({env: {AWS_DEFAULT_REGION: 'us-west-2'}, flags: {}, profileRegion, settings})).to.include({region: 'us-west-2', regionSource: 'AWS_DEFAULT_REGION'})
    expect(resolveContext({env: {}, flags: {}, profileRegion, settings})).to.include({region: 'eu-central-1', regionSource: 'config'})
    expect(resolveContext({env: {}, flags: {}, profileRegion, settings: {}})).to.include({region: 'ap-south-1', regionSource: 'profile'})
  })

  it('takes the profile from flag, then AWS_PROFILE, then config, and its region from that profile', () => {
    const regions: Record<string, string> = {'acme.prod': 'us-east-2', default: 'eu-north-1', saved: 'sa-east-1'}
    const profileRegion = (p?: string) => regions[p ?? 'default']
    expect(resolveContext({env: {AWS_PROFILE: 'saved'}, flags: {profile: 'acme.prod'}, profileRegion, settings: {}})).to.include({profile: 'acme.prod', region: 'us-east-2'})
    expect(resolveContext({env: {AWS_PROFILE: 'saved'}, flags: {}, profileRegion, settings: {profile: 'x'}})).to.include({profile: 'saved', region: 'sa-east-1'})
    expect(resolveContext({env: {}, flags: {}, profileRegion, settings: {profile: 'saved'}})).to.include({profile: 'saved'})
    expect(resolveContext({env: {}, flags: {}, profileRegion, settings: {}})).to.include({profile: undefined, region: 'eu-north-1'})
  })

  it('fails clearly when no region is anywhere', () => {
    expect(() => resolveContext({env: {}, flags: {profile: 'p'}, profileRegion: none, settings: {}})).to.throw(MissingRegionError)
  })

  it('resolves the endpoint: flag, AWS_ENDPOINT_URL_ECS, AWS_ENDPOINT_URL', () => {
    const base = {flags: {region: 'eu-west-1'}, profileRegion: none, settings: {}}
    const env = {AWS_ENDPOINT_URL: 'http://all', AWS_ENDPOINT_URL_ECS: 'http://ecs', AWS_ENDPOINT_URL_STS: 'http://sts'}
    const fromEnv = resolveContext({...base, env})
    expect(fromEnv.endpoint).to.equal('http://ecs')
    expect(endpointFor('sts', fromEnv, env)).to.equal('http://sts')
    expect(endpointFor('eventbridge', fromEnv, env)).to.equal('http://all')
    const fromFlag = resolveContext({...base, env, flags: {'endpoint-url': 'http://flag', region: 'eu-west-1'}})
    expect(fromFlag.endpoint).to.equal('http://flag')
    expect(endpointFor('sts', fromFlag, env)).to.equal('http://flag')
    expect(resolveContext({...base, env: {}}).endpoint).to.equal(undefined)
  })

  it('takes the attempt count from AWS_MAX_ATTEMPTS, then config, then 8', () => {
    const base = {flags: {region: 'eu-west-1'}, profileRegion: none}
    expect(resolveContext({...base, env: {AWS_MAX_ATTEMPTS: '3'}, settings: {maxAttempts: 5}}).maxAttempts).to.equal(3)
    expect(resolveContext({...base, env: {}, settings: {maxAttempts: 5}}).maxAttempts).to.equal(5)
    expect(resolveContext({...base, env: {}, settings: {}}).maxAttempts).to.equal(8)
  })
})
