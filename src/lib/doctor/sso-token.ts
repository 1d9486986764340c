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
    const expiresAt = new Date(JSON.parse(text).expiresAt)
    if (Number.isNaN(expiresAt.getTime())) return {file, state: 'invalid'}
    // A refresh token lets the SDK renew an expired access token; without one, login is needed.
    return {expiresAt, file, state: expiresAt > now ? 'valid' : 'expired'}
  } catch {
    return {file, state: 'invalid'}
  }
}
