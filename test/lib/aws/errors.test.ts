import {expect} from 'chai'

import type {AwsContext} from '../../../src/lib/aws/context.js'
import {EXIT, explainAwsError} from '../../../src/lib/aws/errors.js'
import {isRegionName, knownRegions} from '../../../src/lib/aws/regions.js'
import {regionProblem} from '../../../src/lib/aws/validate.js'

const ctx: AwsContext = {endpointFromFlag: false, maxAttempts: 8, profile: 'acme.prod', region: 'eu-west-1', regionSource: 'flag'}
const err = (name: string, message: string) => Object.assign(new Error(message), {name})

describe('explainAwsError', () => {
  it('turns every SDK SSO failure into the exact aws sso login command', () => {
    for (const e of [
      err('CredentialsProviderError', 'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.'),
      err('CredentialsProviderError', 'The SSO session associated with this profile is invalid. To refresh this SSO session run aws sso login with the corresponding profile.'),
      err('TokenProviderError', 'The SSO session token associated with profile=acme.prod was not found or is invalid. To refresh this SSO session run aws sso login with the corresponding profile.'),
      err('TokenProviderError', 'Token is expired. To refresh this SSO session run aws sso login with the corresponding profile.'),
    ]) {
      const explained = explainAwsError(e, ctx)!
      expect(explained.message).to.include('profile "acme.prod"')
      expect(explained.suggestions).to.deep.equal(['Run: aws sso login --profile acme.prod'])
    }
  })

  const sso: AwsContext = {...ctx, profileKind: 'sso'}

  it('does not blame the session when the SSO portal cannot be reached: names the host', () => {
    const e = err('CredentialsProviderError', 'Error: getaddrinfo ENOTFOUND portal.sso.eu-west-1.amazonaws.com')
    const explained = explainAwsError(e, sso)!
    expect(explained.message).to.equal('Cannot reach the AWS SSO portal portal.sso.eu-west-1.amazonaws.com for profile "acme.prod": ENOTFOUND.')
    expect(explained.suggestions.join(' ')).to.not.include('sso login')
  })

  it('says an SSO profile lacks settings instead of asking to log in', () => {
    const e = err('CredentialsProviderError', 'Profile is configured with invalid SSO credentials. Required parameters "sso_account_id", "sso_region", "sso_role_name", "sso_start_url". Got sso_session, region\nReference: https://docs.aws.amazon.com/cli')
    const explained = explainAwsError(e, sso)!
    expect(explained.message).to.include('The SSO settings of profile "acme.prod" are incomplete: Profile is configured with invalid SSO credentials')
    expect(explained.suggestions[0]).to.include(process.env.AWS_CONFIG_FILE!).and.include('sso_account_id')
    // Anything else from an SSO profile: the SDK's own first line, not "expired".
    const other = explainAwsError(err('CredentialsProviderError', 'ForbiddenException: No access'), sso)!
    expect(other.message).to.equal('No SSO credentials for profile "acme.prod": ForbiddenException: No access')
  })

  it('names the default profile, with --profile default, when no profile was chosen', () => {
    const e = err('TokenProviderError', 'The SSO session token associated with profile=default was not found or is invalid. To refresh this SSO session run aws sso login with the corresponding profile.')
    const explained = explainAwsError(e, {...sso, profile: undefined})!
    expect(explained.message).to.include('profile "default"')
    expect(explained.suggestions).to.deep.equal(['Run: aws sso login --profile default'])
  })

  it('for an assume-role profile on SSO, logs in with the SSO profile it comes from', () => {
    const e = err('CredentialsProviderError', 'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.')
    const explained = explainAwsError(e, {...ctx, profile: 'deploy', profileKind: 'assume-role', ssoProfile: 'acme.prod'})!
    expect(explained.message).to.include('profile "acme.prod"').and.include('profile "deploy"')
    expect(explained.suggestions).to.deep.equal(['Run: aws sso login --profile acme.prod'])
  })

  it('names the host a network error names (STS for an assume-role profile, say)', () => {
    const e = Object.assign(new Error('getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com'), {code: 'ENOTFOUND', hostname: 'sts.eu-west-1.amazonaws.com'})
    expect(explainAwsError(e, {...ctx, endpoint: 'http://127.0.0.1:4566'})!.message).to.equal('Cannot reach AWS at sts.eu-west-1.amazonaws.com: ENOTFOUND.')
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), {address: '127.0.0.1', code: 'ECONNREFUSED', port: 4566})
    expect(explainAwsError(refused, ctx)!.message).to.equal('Cannot reach AWS at 127.0.0.1:4566: ECONNREFUSED.')
  })

  it('explains missing credentials, rejected keys, access denied and throttling', () => {
    expect(explainAwsError(err('CredentialsProviderError', 'Could not load credentials from any providers'), ctx)!.message).to.include('No AWS credentials')
    expect(explainAwsError(err('UnrecognizedClientException', 'The security token included in the request is invalid.'), ctx)!.message).to.include('rejected')
    expect(explainAwsError(err('AccessDeniedException', 'User: x is not authorized to perform: ecs:ListClusters'), ctx)!.message).to.include('ecs:ListClusters')
    const throttled = explainAwsError(err('ThrottlingException', 'Rate exceeded'), ctx)!
    expect(throttled.message).to.include('throttling')
    expect(throttled.exit).to.equal(EXIT.FAILURE)
  })

  it('says which endpoint could not be reached', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), {code: 'ECONNREFUSED'})
    expect(explainAwsError(refused, {...ctx, endpoint: 'http://127.0.0.1:4566'})!.message).to.include('http://127.0.0.1:4566')
  })

  it('leaves unknown errors alone', () => {
    expect(explainAwsError(new Error('something else'), ctx)).to.equal(undefined)
  })
})

describe('regions', () => {
  it('come from the SDK partition data, every partition', () => {
    const names = knownRegions().map((r) => r.name)
    expect(names).to.include.members(['us-east-1', 'eu-west-1', 'ap-southeast-2', 'cn-north-1', 'us-gov-west-1'])
    expect(names.some((n) => n.startsWith('aws-'))).to.equal(false)
  })

  it('refuses a misspelt region with close matches but accepts a well-formed new one', () => {
    expect(regionProblem('eu-west-1')).to.equal(undefined)
    expect(regionProblem('eu-wets-1')!.suggestions[0]).to.include('eu-west-1')
    expect(regionProblem('Ireland')!.message).to.include('Unknown AWS region')
    // Validity comes from the partition data: a name that fits a partition's region pattern
    // is a region newer than the SDK; one that fits none is not a region.
    expect(regionProblem('eu-newplace-9')).to.equal(undefined)
    expect(regionProblem('xx-newplace-9')!.message).to.include('Unknown AWS region')
    expect(regionProblem('eusc-de-east-1')).to.equal(undefined)
    expect(regionProblem('eusc-de-northwest-4')).to.equal(undefined)
  })

  it('says where an unknown region came from', () => {
    expect(regionProblem('eu-wst-1', 'AWS_REGION')!.message).to.equal('Unknown AWS region "eu-wst-1" (from AWS_REGION).')
  })

  it('read the partition data without loading the SDK', () => {
    expect(isRegionName('eusc-de-east-1')).to.equal(true)
    expect(isRegionName('cn-north-1')).to.equal(true)
    expect(isRegionName('Ireland')).to.equal(false)
    // Listed in the data, but pseudo-regions (endpoint aliases), not regions to run in.
    expect(isRegionName('aws-global')).to.equal(false)
    expect(isRegionName('aws-us-gov-global')).to.equal(false)
    expect(regionProblem('aws-global')!.message).to.include('Unknown AWS region "aws-global"')
    expect(knownRegions().find((r) => r.name === 'eusc-de-east-1')).to.include({partition: 'aws-eusc'})
  })
})
