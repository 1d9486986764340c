import {expect} from 'chai'

import {endpointFor, MissingRegionError, resolveContext} from '../../../src/lib/aws/context.js'
import {endpointProblem} from '../../../src/lib/aws/validate.js'

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

  it('keeps AWS_ENDPOINT_URL_ECS for ECS: STS and EventBridge do not use it', () => {
    const env = {AWS_ENDPOINT_URL_ECS: 'http://ecs-only:1'}
    const ctx = resolveContext({env, flags: {region: 'eu-west-1'}, profileRegion: none, settings: {}})
    expect(ctx.endpoint).to.equal('http://ecs-only:1')
    expect(endpointFor('ecs', ctx, env)).to.equal('http://ecs-only:1')
    expect(endpointFor('sts', ctx, env)).to.equal(undefined)
    expect(endpointFor('eventbridge', ctx, env)).to.equal(undefined)
    expect(endpointFor('kms', ctx, env)).to.equal(undefined)
  })

  it('takes the attempt count from AWS_MAX_ATTEMPTS, then config, then 8', () => {
    const base = {flags: {region: 'eu-west-1'}, profileRegion: none}
    expect(resolveContext({...base, env: {AWS_MAX_ATTEMPTS: '3'}, settings: {maxAttempts: 5}}).maxAttempts).to.equal(3)
    expect(resolveContext({...base, env: {}, settings: {maxAttempts: 5}}).maxAttempts).to.equal(5)
    expect(resolveContext({...base, env: {}, settings: {}}).maxAttempts).to.equal(8)
  })
})

describe('endpoint checks', () => {
  it('accept http and https URLs, from the flag or any endpoint variable', () => {
    expect(endpointProblem('http://localhost:4566', {})).to.equal(undefined)
    expect(endpointProblem(undefined, {AWS_ENDPOINT_URL: 'https://ecs.eu-west-1.amazonaws.com', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9'})).to.equal(undefined)
    expect(endpointProblem(undefined, {})).to.equal(undefined)
  })

  it('refuse a malformed one with an example, naming where it came from (exit 2)', () => {
    const flag = endpointProblem('localhost:4566', {})!
    expect(flag.exit).to.equal(2)
    expect(flag.message).to.equal('Invalid --endpoint-url "localhost:4566": not an http:// or https:// URL.')
    expect(flag.suggestions[0]).to.include('e.g. http://localhost:4566')
    expect(endpointProblem('not a url', {})!.message).to.include('"not a url"')
    expect(endpointProblem(undefined, {AWS_ENDPOINT_URL_ECS: 'ftp://x'})!.message).to.include('endpoint in AWS_ENDPOINT_URL_ECS')
    // The flag serves every service: a bad variable it overrides does not matter.
    expect(endpointProblem('http://localhost:4566', {AWS_ENDPOINT_URL: 'nonsense'})).to.equal(undefined)
  })
})
