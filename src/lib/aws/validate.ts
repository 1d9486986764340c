import {closeMatches} from '../text/similar.js'
import {ENDPOINT_VARIABLES} from './context.js'
import {EXIT, type Explained} from './errors.js'
import {awsConfigPath, awsCredentialsPath} from './files.js'
import type {ProfileInfo} from './profiles.js'
import {isRegionName, knownRegions} from './regions.js'

/** Beyond this many, the unknown-profile error names the closest ones and a count, not every name. */
const MAX_LISTED = 15

/**
 * Undefined when the profile exists in the AWS files; else the error listing those found.
 * `savedIn`: the settings file the name came from, so a stale saved profile points there.
 */
export function profileProblem(profile: string, profiles: ProfileInfo[], savedIn?: string): Explained | undefined {
  const names = profiles.map((p) => p.name)
  if (names.includes(profile)) return undefined
  const close = closeMatches(profile, names)
  const listed =
    names.length <= MAX_LISTED
      ? `Profiles found: ${names.join(', ')}${close.length > 0 ? ` (closest: ${close[0]})` : ''}.`
      : `${names.length} profiles found${close.length > 0 ? `; closest: ${close.join(', ')}` : `, e.g. ${names.slice(0, 5).join(', ')}`}.`
  return {
    exit: EXIT.USAGE,
    message: `Unknown AWS profile "${profile}"${savedIn ? ` (saved in ${savedIn})` : ''}.`,
    suggestions: [
      names.length > 0
        ? listed
        : `No profiles found in ${awsConfigPath()} or ${awsCredentialsPath()} (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE). Add a profile there (the AWS CLI's \`aws configure\` or \`aws configure sso\` can write one).`,
      ...(savedIn ? ['Save another with `taskonaut config set --profile NAME`, or pass --profile.'] : []),
    ],
  }
}

/**
 * Undefined for a region the SDK lists, or a name that fits a partition's region pattern and
 * is no near miss of a listed one (a region newer than the installed SDK); else the error
 * with the closest names.
 */
export function regionProblem(region: string, from?: string): Explained | undefined {
  const names = knownRegions().map((r) => r.name)
  if (names.includes(region)) return undefined
  const close = closeMatches(region, names, 3)
  if (close.length === 0 && isRegionName(region)) return undefined
  return {
    exit: EXIT.USAGE,
    message: `Unknown AWS region "${region}"${from ? ` (from ${from})` : ''}.`,
    suggestions: [close.length > 0 ? `Did you mean ${close.join(', ')}?` : 'Regions look like eu-west-1 or us-east-1.'],
  }
}

/**
 * Undefined when the endpoints in use are http(s) URLs: --endpoint-url (which then serves every
 * service), else each endpoint variable that is set. "localhost:4566" parses as a URL with the
 * scheme "localhost:", and would fail later as an obscure UnknownError.
 */
export function endpointProblem(flag: string | undefined, env: NodeJS.ProcessEnv): Explained | undefined {
  const given: [string, string | undefined][] = flag === undefined ? ENDPOINT_VARIABLES.map((name) => [name, env[name]]) : [['--endpoint-url', flag]]
  for (const [source, value] of given) {
    if (value === undefined || (value === '' && source !== '--endpoint-url')) continue
    const url = URL.canParse(value) ? new URL(value) : undefined
    if (url && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname) continue
    return {
      exit: EXIT.USAGE,
      message: `Invalid ${source === '--endpoint-url' ? source : `endpoint in ${source}`} "${value}": not an http:// or https:// URL.`,
      suggestions: [`Give the whole URL, e.g. http://localhost:4566 (LocalStack) or https://ecs.eu-west-1.amazonaws.com.`],
    }
  }

  return undefined
}
