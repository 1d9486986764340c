import {closeMatches} from '../text/similar.js'
import {EXIT, type Explained} from './errors.js'
import type {ProfileInfo} from './profiles.js'
import {knownRegions, looksLikeRegion} from './regions.js'

/** Undefined when the profile exists in the AWS files; else the error listing those found. */
export function profileProblem(profile: string, profiles: ProfileInfo[]): Explained | undefined {
  const names = profiles.map((p) => p.name)
  if (names.includes(profile)) return undefined
  const close = closeMatches(profile, names)
  return {
    exit: EXIT.USAGE,
    message: `Unknown AWS profile "${profile}".`,
    suggestions: [
      names.length > 0
        ? `Profiles found: ${names.join(', ')}${close.length > 0 ? ` (closest: ${close[0]})` : ''}.`
        : 'No profiles found in the AWS config or credentials file (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE). Create one with `aws configure` or `aws configure sso`.',
    ],
  }
}

/**
 * Undefined for a region the SDK knows, or a well-formed name with no close match (a region
 * newer than the installed SDK); else the error with the closest names.
 */
export function regionProblem(region: string): Explained | undefined {
  const names = knownRegions().map((r) => r.name)
  if (names.includes(region)) return undefined
  const close = closeMatches(region, names, 3)
  if (close.length === 0 && looksLikeRegion(region)) return undefined
  return {
    exit: EXIT.USAGE,
    message: `Unknown AWS region "${region}".`,
    suggestions: [close.length > 0 ? `Did you mean ${close.join(', ')}?` : 'Regions look like eu-west-1 or us-east-1.'],
  }
}
