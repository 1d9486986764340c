import {readFile} from 'node:fs/promises'

import {EXIT, ExplainedError} from './errors.js'
import {awsConfigPath, awsCredentialsPath} from './files.js'

/** What the shared AWS files say about one profile (only what taskonaut reads). */
export interface ProfileInfo {
  name: string
  /** Which files define it. */
  sources: ('config' | 'credentials')[]
  region?: string
  /** sso (legacy or sso-session), credential_process, assume-role, static keys... */
  kind: 'assume-role' | 'credential-process' | 'sso' | 'static' | 'web-identity' | 'other'
  ssoSession?: string
  ssoStartUrl?: string
  /** assume-role: the profile whose credentials assume the role. */
  sourceProfile?: string
}

export type IniSections = Map<string, Record<string, string>>

/**
 * Parses the AWS INI dialect just enough to list profiles: section headers, `key = value`,
 * comments, and nested sub-properties (indented lines, as used by `s3 =`), which are skipped.
 */
export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map()
  let current: Record<string, string> | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\uFEFF/, '')
    if (/^\s*([#;]|$)/.test(line)) continue
    const header = /^\s*\[([^\]]+)\]\s*([#;].*)?$/.exec(line)
    if (header) {
      const name = header[1].trim()
      current = sections.get(name) ?? {}
      sections.set(name, current)
      continue
    }

    if (!current || /^\s/.test(line)) continue // outside a section, or a nested sub-property
    const eq = line.indexOf('=')
    if (eq === -1) continue
    current[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).replace(/\s[#;].*$/, '').trim()
  }

  return sections
}

/** A missing file holds no profiles; one that cannot be read stops the command, saying which. */
async function readOptional(file: string, variable: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error: any) {
    if (error.code === 'ENOENT') return ''
    throw new ExplainedError({
      exit: EXIT.FAILURE,
      message: `Cannot read the AWS file ${file}: ${error.code ?? error.message}.`,
      suggestions: [error.code === 'EISDIR' ? `It is a folder: point ${variable} at the file itself.` : `Check that you can read it (permissions), or point ${variable} at another file.`],
    })
  }
}

function kindOf(props: Record<string, string>): ProfileInfo['kind'] {
  if (props.sso_session || props.sso_start_url) return 'sso'
  if (props.credential_process) return 'credential-process'
  if (props.role_arn && props.web_identity_token_file) return 'web-identity'
  if (props.role_arn) return 'assume-role'
  if (props.aws_access_key_id) return 'static'
  return 'other'
}

/**
 * Profiles as the AWS CLI and SDK see them: `[default]` and `[profile NAME]` in the config
 * file, any `[NAME]` in the credentials file. `sso-session` and `services` sections are not
 * profiles. Names are kept whole, dots included (`acme.prod`).
 */
export function profilesFrom(configText: string, credentialsText: string): ProfileInfo[] {
  const byName = new Map<string, {props: Record<string, string>; sources: Set<'config' | 'credentials'>}>()
  const add = (name: string, props: Record<string, string>, source: 'config' | 'credentials') => {
    const entry = byName.get(name) ?? {props: {}, sources: new Set()}
    // The config file wins for settings both define, as in the SDK.
    entry.props = source === 'config' ? {...entry.props, ...props} : {...props, ...entry.props}
    entry.sources.add(source)
    byName.set(name, entry)
  }

  for (const [name, props] of parseIni(credentialsText)) add(name, props, 'credentials')
  const config = parseIni(configText)
  for (const [header, props] of config) {
    if (header === 'default') add('default', props, 'config')
    else if (/^profile\s+\S/.test(header)) add(header.replace(/^profile\s+/, '').trim(), props, 'config')
  }

  return [...byName.entries()]
    .map(([name, {props, sources}]) => {
      const session = props.sso_session ? config.get(`sso-session ${props.sso_session}`) : undefined
      return {
        kind: kindOf(props),
        name,
        region: props.region || undefined,
        sourceProfile: props.source_profile || undefined,
        sources: [...sources].sort(),
        ssoSession: props.sso_session,
        ssoStartUrl: props.sso_start_url ?? session?.sso_start_url,
      }
    })
    .sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)))
}

export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<ProfileInfo[]> {
  const [config, credentials] = await Promise.all([
    readOptional(awsConfigPath(env), 'AWS_CONFIG_FILE'),
    readOptional(awsCredentialsPath(env), 'AWS_SHARED_CREDENTIALS_FILE'),
  ])
  return profilesFrom(config, credentials)
}

/**
 * The SSO profile that gives `name` its credentials: itself when it is an SSO profile, else
 * the first SSO profile down its source_profile chain (an assume-role profile on SSO).
 */
export function ssoProfileOf(name: string, profiles: ProfileInfo[]): string | undefined {
  const seen = new Set<string>()
  for (let p = profiles.find((x) => x.name === name); p && !seen.has(p.name); p = profiles.find((x) => x.name === p!.sourceProfile)) {
    if (p.kind === 'sso') return p.name
    seen.add(p.name)
  }

  return undefined
}
