import {createHash} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {join} from 'node:path'

import type {ProfileInfo} from '../aws/profiles.js'

export interface SsoTokenState {
  file: string
  /** missing: no cached token (never logged in); expired / valid by its expiresAt. */
  state: 'expired' | 'invalid' | 'missing' | 'valid'
  expiresAt?: Date
  /**
   * An sso-session token the SDK renews by itself when the access token expires: it holds a
   * refresh token and a client registration (clientId, clientSecret) that has not expired.
   * Legacy (sso_start_url only) tokens are never refreshed.
   */
  refreshable?: boolean
  /** Until when the client registration, and so the refresh, works (when the cache says). */
  registrationExpiresAt?: Date
}

/**
 * Where the AWS CLI and SDK cache an SSO token: ~/.aws/sso/cache/<sha1 of the sso-session name,
 * or of the start URL for legacy profiles>.json.
 */
export function ssoTokenFile(profile: ProfileInfo, home = homedir()): string | undefined {
  const id = profile.ssoSession ?? profile.ssoStartUrl
  if (!id) return undefined
  return join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(id).digest('hex')}.json`)
}

export async function readSsoToken(profile: ProfileInfo, now = new Date(), home = homedir()): Promise<SsoTokenState | undefined> {
  const file = ssoTokenFile(profile, home)
  if (!file) return undefined
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return {file, state: 'missing'}
  }

  try {
    const token = JSON.parse(text)
    const expiresAt = new Date(token.expiresAt)
    if (Number.isNaN(expiresAt.getTime())) return {file, state: 'invalid'}
    // An unreadable registrationExpiresAt counts as none: no known end to the registration.
    const given = token.registrationExpiresAt ? new Date(token.registrationExpiresAt) : undefined
    const registration = given && !Number.isNaN(given.getTime()) ? given : undefined
    const registered = !registration || registration > now
    // What the SDK's sso-session token provider needs to renew an expired access token.
    const refreshable = Boolean(profile.ssoSession && token.refreshToken && token.clientId && token.clientSecret && registered)
    return {
      expiresAt,
      file,
      refreshable,
      registrationExpiresAt: registration,
      state: expiresAt > now ? 'valid' : 'expired',
    }
  } catch {
    return {file, state: 'invalid'}
  }
}
