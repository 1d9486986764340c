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
    expect(knownRegions().find((r) => r.name === 'eusc-de-east-1')).to.include({partition: 'aws-eusc'})
  })
})
