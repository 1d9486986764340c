import {expect} from 'chai'

import {parseIni, profilesFrom, ssoProfileOf} from '../../../src/lib/aws/profiles.js'
import {profileProblem} from '../../../src/lib/aws/validate.js'

const CONFIG = `
# a comment
[default]
region = eu-west-1

[profile acme.prod]
sso_session = acme
sso_account_id = 111111111111
sso_role_name = Admin
region = us-east-2

[sso-session acme]
sso_start_url = https://acme.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile legacy-sso]
sso_start_url = https://old.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 222222222222
sso_role_name = ReadOnly

[profile vault]
credential_process = aws-vault exec work --json
region = ap-southeast-2 ; trailing comment

[profile deploy]
role_arn = arn:aws:iam::333333333333:role/deploy
source_profile = default
s3 =
  max_concurrent_requests = 20

[services local]
ecs =
  endpoint_url = http://localhost:4566
`

const CREDENTIALS = `
[default]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = secret

[static.only]
aws_access_key_id = AKIDEXAMPLE2
aws_secret_access_key = secret2
`

describe('AWS profiles', () => {
  const profiles = profilesFrom(CONFIG, CREDENTIALS)
  const byName = Object.fromEntries(profiles.map((p) => [p.name, p]))

  it('lists profiles from both files, dotted names whole, default first', () => {
    expect(profiles.map((p) => p.name)).to.deep.equal(['default', 'acme.prod', 'deploy', 'legacy-sso', 'static.only', 'vault'])
  })

  it('does not list sso-session or services sections as profiles', () => {
    expect(profiles.map((p) => p.name)).not.to.include.members(['acme', 'sso-session acme', 'local'])
  })

  it('tells the kind of each profile and follows sso_session to its start URL', () => {
    expect(byName['acme.prod']).to.include({kind: 'sso', region: 'us-east-2', ssoSession: 'acme', ssoStartUrl: 'https://acme.awsapps.com/start'})
    expect(byName['legacy-sso']).to.include({kind: 'sso', ssoStartUrl: 'https://old.awsapps.com/start'})
    expect(byName.vault).to.include({kind: 'credential-process', region: 'ap-southeast-2'})
    expect(byName.deploy.kind).to.equal('assume-role')
    expect(byName['static.only']).to.include({kind: 'static'})
    expect(byName.default.sources).to.deep.equal(['config', 'credentials'])
  })

  it('skips nested sub-properties and comments', () => {
    const deploy = parseIni(CONFIG).get('profile deploy')!
    expect(deploy).to.have.property('s3', '')
    expect(deploy).not.to.have.property('max_concurrent_requests')
  })

  it('follows source_profile to the SSO profile an assume-role profile gets its credentials from', () => {
    const chain = profilesFrom(`${CONFIG}\n[profile on-sso]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = acme.prod\n[profile loop]\nrole_arn = r\nsource_profile = loop\n`, '')
    expect(ssoProfileOf('on-sso', chain)).to.equal('acme.prod')
    expect(ssoProfileOf('acme.prod', chain)).to.equal('acme.prod')
    expect(ssoProfileOf('deploy', chain)).to.equal(undefined) // source_profile default: static keys
    expect(ssoProfileOf('loop', chain)).to.equal(undefined)
  })

  it('copes with empty files', () => {
    expect(profilesFrom('', '')).to.deep.equal([])
  })
})

describe('unknown profile errors', () => {
  const named = (names: string[]) => names.map((name) => ({kind: 'static' as const, name, sources: ['config' as const]}))

  it('list every profile when there are few, with the closest', () => {
    const problem = profileProblem('acme.prd', named(['default', 'acme.prod']))!
    expect(problem.exit).to.equal(2)
    expect(problem.suggestions[0]).to.equal('Profiles found: default, acme.prod (closest: acme.prod).')
  })

  it('name only the closest and a count when there are many', () => {
    const many = named(Array.from({length: 200}, (_, i) => `team-${i}.prod`))
    const hint = profileProblem('team-17.prdo', many)!.suggestions[0]
    expect(hint).to.match(/^200 profiles found; closest: team-17\.prod/)
    expect(hint.length).to.be.lessThan(200)
  })

  it('say which settings file a stale saved profile came from, and which AWS files were read when none exist', () => {
    const stale = profileProblem('gone', named(['default']), '/x/config.json')!
    expect(stale.message).to.equal('Unknown AWS profile "gone" (saved in /x/config.json).')
    expect(stale.suggestions.join(' ')).to.include('taskonaut config set --profile NAME')
    expect(profileProblem('p', [])!.suggestions[0]).to.include(process.env.AWS_CONFIG_FILE!).and.include(process.env.AWS_SHARED_CREDENTIALS_FILE!)
  })
})
