import type {AwsContext} from './context.js'
import {awsConfigPath} from './files.js'

/** A failure explained for people: one line of what went wrong, one of what to do. */
export interface Explained {
  message: string
  suggestions: string[]
  exit: number
}

/** A failure already explained for people; BaseCommand shows it as is (one line, a hint, its exit code). */
export class ExplainedError extends Error {
  constructor(readonly explained: Explained) {
    super(explained.message)
    this.name = 'ExplainedError'
  }
}

export const EXIT = {
  CANCELLED: 130,
  FAILURE: 1,
  /** Some items of a batch failed, others succeeded (prune). */
  PARTIAL: 3,
  SUCCESS: 0,
  USAGE: 2,
} as const

/**
 * What the SDK says when the SSO token itself is the problem (missing, expired, or unusable),
 * which `aws sso login` fixes: the legacy and sso-session providers' messages, the token
 * cache missing a field, and the SSO portal refusing the token.
 */
const SSO_TOKEN_PROBLEMS = [
  /SSO session associated with this profile (has expired|is invalid)/i,
  /SSO session token associated with profile=.* was not found or is invalid/i,
  /^Token is expired/i,
  /Value not present for '\w+' in SSO Token/i,
  /UnauthorizedException|Session token not found or invalid/i,
]

/** The SDK's messages for an SSO profile or sso-session that lacks settings. */
const SSO_CONFIG_PROBLEMS = [
  /configured with invalid SSO credentials/i,
  /is missing required property/i,
  /Sso session '.*' could not be found/i,
  /Incomplete configuration\. The fromSSO\(\) argument/i,
  /Conflicting SSO (region|start_url)/i,
]

const NETWORK_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH']

/**
 * The host a network error names: the SDK passes Node's socket error through (hostname, or
 * address and port), or, inside a credential provider, only its text ("getaddrinfo ENOTFOUND host").
 */
function networkFailure(error: any, message: string): {code: string; host?: string} | undefined {
  const code: string | undefined = NETWORK_CODES.find((c) => c === error?.code || message.includes(c))
  if (!code) return undefined
  const host = error?.hostname ?? (error?.address ? `${error.address}${error.port ? `:${error.port}` : ''}` : undefined)
  const inText = new RegExp(`${code}\\s+(\\S+)`).exec(message)?.[1]
  return {code, host: host ?? inText?.replace(/[.,;]$/, '')}
}

/**
 * Turns what the AWS SDK throws into an Explained failure, or undefined when the error is
 * not one it knows (the caller then shows the error's own message).
 */
export function explainAwsError(error: any, ctx?: AwsContext): Explained | undefined {
  const name: string = error?.name ?? error?.Code ?? ''
  const message: string = error?.message ?? String(error)
  // Without --profile/AWS_PROFILE the SDK uses the default profile when the files have one.
  const profile = ctx?.profile ?? (ctx?.profileKind ? 'default' : undefined)
  const who = profile ? `profile "${profile}"` : 'the default credential chain (environment, default profile, container or instance role)'
  const credentialFailure = name.endsWith('ProviderError') || /Could not load credentials/i.test(message)
  const ssoProfile = ctx?.ssoProfile ?? (ctx?.profileKind === 'sso' ? profile : undefined)
  const network = networkFailure(error, message)

  // SSO: only a token problem is fixed by logging in again; say what else went wrong otherwise.
  if (SSO_TOKEN_PROBLEMS.some((re) => re.test(message)) && (ssoProfile || /sso/i.test(message))) {
    const login = ssoProfile ?? profile
    return {
      exit: EXIT.FAILURE,
      message: `The AWS SSO session for ${login ? `profile "${login}"` : who} has expired or was never started${login && login !== profile ? ` (it gives ${who} its credentials)` : ''}.`,
      suggestions: [`Run: aws sso login${login ? ` --profile ${login}` : ''}`],
    }
  }

  if (credentialFailure && ssoProfile) {
    if (network) {
      return {
        exit: EXIT.FAILURE,
        message: `Cannot reach the AWS SSO portal${network.host ? ` ${network.host}` : ''} for profile "${ssoProfile}": ${network.code}.`,
        suggestions: ['Check your network connection and proxy settings (the host comes from the profile\'s sso_region).'],
      }
    }

    if (SSO_CONFIG_PROBLEMS.some((re) => re.test(message))) {
      return {
        exit: EXIT.FAILURE,
        message: `The SSO settings of profile "${ssoProfile}" are incomplete: ${firstLine(message)}`,
        suggestions: [`Fix the profile (and its sso-session) in ${awsConfigPath()}: it needs sso_account_id, sso_role_name, and sso_session or sso_start_url with sso_region.`],
      }
    }

    return {
      exit: EXIT.FAILURE,
      message: `No SSO credentials for profile "${ssoProfile}": ${firstLine(message)}`,
      suggestions: [`Check that the profile's sso_account_id and sso_role_name are yours to use; \`taskonaut doctor --profile ${ssoProfile}\` shows the SSO session.`],
    }
  }

  if (network || name === 'TimeoutError') {
    // The host the error names (STS for an assume-role profile, say), else the endpoint in use.
    const where = network?.host ?? ctx?.endpoint
    return {
      exit: EXIT.FAILURE,
      message: `Cannot reach AWS${where ? ` at ${where}` : ''}${credentialFailure ? ` (getting the credentials of ${who})` : ''}: ${network?.code ?? name}.`,
      suggestions: [ctx?.endpoint ? 'Is the endpoint running? Check --endpoint-url / AWS_ENDPOINT_URL_ECS.' : 'Check your network connection and proxy settings.'],
    }
  }

  if (name === 'CredentialsProviderError' || /Could not load credentials|Unable to locate credentials/i.test(message)) {
    return {
      exit: EXIT.FAILURE,
      message: `No AWS credentials could be found for ${who}: ${firstLine(message)}`,
      suggestions: ['Pass --profile NAME (see `taskonaut doctor`), or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.'],
    }
  }

  if (['ExpiredTokenException', 'ExpiredToken', 'RequestExpired'].includes(name)) {
    return {
      exit: EXIT.FAILURE,
      message: `The AWS credentials of ${who} have expired.`,
      suggestions: [profile ? `Refresh them (for SSO: aws sso login --profile ${ssoProfile ?? profile}) and try again.` : 'Refresh your credentials and try again.'],
    }
  }

  if (['InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'InvalidSignatureException'].includes(name)) {
    return {
      exit: EXIT.FAILURE,
      message: `AWS rejected the credentials of ${who} (${name}).`,
      suggestions: ['Check the access key and secret, or pick another profile with --profile.'],
    }
  }

  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return {
      exit: EXIT.FAILURE,
      message: `Access denied: ${firstLine(message)}`,
      suggestions: ['Ask for the IAM permission named above, or use a profile that has it (--profile).'],
    }
  }

  if (name === 'ThrottlingException' || /Rate exceeded/i.test(message)) {
    return {
      exit: EXIT.FAILURE,
      message: 'AWS kept throttling the requests (Rate exceeded) after every retry.',
      suggestions: ['Try again in a minute, or raise the attempts with AWS_MAX_ATTEMPTS.'],
    }
  }

  if (name === 'ClusterNotFoundException') {
    return {exit: EXIT.FAILURE, message: `Cluster not found in ${ctx?.region ?? 'this region'}.`, suggestions: ['Check --cluster and --region.']}
  }

  return undefined
}

export function firstLine(text: string): string {
  return text.split('\n')[0].trim()
}
