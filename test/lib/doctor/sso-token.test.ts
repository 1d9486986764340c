import {expect} from 'chai'
import {createHash} from 'node:crypto'
import {mkdir, mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {ProfileInfo} from '../../../src/lib/aws/profiles.js'
import {checkNode, checkSso} from '../../../src/lib/doctor/checks.js'
import {readSsoToken, ssoTokenFile} from '../../../src/lib/doctor/sso-token.js'

const session: ProfileInfo = {kind: 'sso', name: 'acme.prod', sources: ['config'], ssoSession: 'acme', ssoStartUrl: 'https://acme.awsapps.com/start'}
const legacy: ProfileInfo = {kind: 'sso', name: 'old', sources: ['config'], ssoStartUrl: 'https://old.awsapps.com/start'}

describe('SSO token cache', () => {
  let home: string
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'tn-sso-'))
    await mkdir(join(home, '.aws', 'sso', 'cache'), {recursive: true})
  })

  it('finds the token where the AWS CLI caches it: sha1 of the session name, or of the start URL', () => {
    const sha1 = (s: string) => createHash('sha1').update(s).digest('hex')
    expect(ssoTokenFile(session, home)).to.equal(join(home, '.aws', 'sso', 'cache', `${sha1('acme')}.json`))
    expect(ssoTokenFile(legacy, home)).to.equal(join(home, '.aws', 'sso', 'cache', `${sha1('https://old.awsapps.com/start')}.json`))
  })

  it('tells missing, expired, valid and unreadable tokens apart', async () => {
    const now = new Date('2026-12-03T12:00:00Z')
    expect((await readSsoToken(session, now, home))!.state).to.equal('missing')
    await writeFile(ssoTokenFile(session, home)!, JSON.stringify({accessToken: 'x', expiresAt: '2026-12-03T11:00:00Z'}))
    expect((await readSsoToken(session, now, home))!.state).to.equal('expired')
    await writeFile(ssoTokenFile(session, home)!, JSON.stringify({accessToken: 'x', expiresAt: '2026-12-03T20:00:00Z'}))
    const valid = (await readSsoToken(session, now, home))!
    expect(valid.state).to.equal('valid')
    expect(valid.expiresAt!.toISOString()).to.equal('2026-12-03T20:00:00.000Z')
    await writeFile(ssoTokenFile(session, home)!, 'not json')
    expect((await readSsoToken(session, now, home))!.state).to.equal('invalid')
  })

  it('doctor skips the SSO check for other profiles and gives the login command when missing or expired', async () => {
    expect(await checkSso({kind: 'static', name: 'x', sources: ['credentials']})).to.equal(undefined)
    const missing = (await checkSso(legacy, new Date(), home))!
    expect(missing).to.include({ok: false, required: true})
    expect(missing.detail).to.include('no cached SSO token')
    expect(missing.hint).to.equal('Run: aws sso login --profile old')
    await writeFile(ssoTokenFile(legacy, home)!, JSON.stringify({accessToken: 'x', expiresAt: '2020-01-01T00:00:00Z'}))
    const expired = (await checkSso(legacy, new Date(), home))!
    expect(expired).to.include({detail: 'expired at 2020-01-01T00:00:00.000Z', ok: false})
    expect(expired.hint).to.equal('Run: aws sso login --profile old')
  })

  it('an expired access token with a refresh token and a live client registration is fine: the SDK renews it', async () => {
    const now = new Date('2026-12-03T12:00:00Z')
    const refreshable = {
      accessToken: 'x',
      clientId: 'client',
      clientSecret: 'secret',
      expiresAt: '2026-12-03T11:00:00Z',
      refreshToken: 'refresh',
      registrationExpiresAt: '2027-03-01T00:00:00Z',
    }
    await writeFile(ssoTokenFile(session, home)!, JSON.stringify(refreshable))
    expect(await readSsoToken(session, now, home)).to.deep.include({refreshable: true, state: 'expired'})
    const check = (await checkSso(session, now, home))!
    expect(check.ok).to.equal(true)
    expect(check.detail).to.equal('access token expired at 2026-12-03T11:00:00.000Z; the SDK renews it with the cached refresh token (until 2027-03-01T00:00:00.000Z)')

    // No renewal once the client registration has expired, or without a refresh token.
    await writeFile(ssoTokenFile(session, home)!, JSON.stringify({...refreshable, registrationExpiresAt: '2026-12-01T00:00:00Z'}))
    expect((await checkSso(session, now, home))!.ok).to.equal(false)
    await writeFile(ssoTokenFile(session, home)!, JSON.stringify({...refreshable, refreshToken: undefined}))
    expect((await checkSso(session, now, home))!.ok).to.equal(false)
    // Legacy (start URL only) tokens are never refreshed by the SDK.
    await writeFile(ssoTokenFile(legacy, home)!, JSON.stringify(refreshable))
    expect((await checkSso(legacy, now, home))!.ok).to.equal(false)
  })

  it('doctor fails Node older than 20', () => {
    expect(checkNode('18.19.0').ok).to.equal(false)
    expect(checkNode('20.20.2').ok).to.equal(true)
    expect(checkNode('22.1.0').detail).to.equal('v22.1.0')
  })
})
