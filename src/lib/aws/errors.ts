import type {AwsContext} from './context.js'

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

const profileArg = (ctx?: AwsContext) => (ctx?.profile ? ` --profile ${ctx.profile}` : '')

/**
 * Turns what the AWS SDK throws into an Explained failure, or undefined when the error is
 * not one it knows (the caller then shows the error's own message).
 */
export function explainAwsError(error: any, ctx?: AwsContext): Explained | undefined {
  const name: string = error?.name ?? error?.Code ?? ''
  const message: string = error?.message ?? String(error)
  const who = ctx?.profile ? `profile "${ctx.profile}"` : 'the default credential chain (environment, default profile, container or instance role)'

  // SSO: the token cache is missing, expired or cannot be refreshed. The provider chain may
  // report only "Could not load credentials from any providers", so an SSO profile's
  // credential failure is treated as one too.
  const credentialFailure = name.endsWith('ProviderError') || /Could not load credentials/i.test(message)
  if ((credentialFailure && ctx?.profileKind === 'sso') || (/sso/i.test(message) && /expired|not found|invalid|refresh/i.test(message))) {
    return {
      exit: EXIT.FAILURE,
      message: `The AWS SSO session for ${who} has expired or was never started.`,
      suggestions: [`Run: aws sso login${profileArg(ctx)}`],
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
      suggestions: [ctx?.profile ? `Refresh them (for SSO: aws sso login${profileArg(ctx)}) and try again.` : 'Refresh your credentials and try again.'],
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

  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET'].includes(error?.code) || name === 'TimeoutError') {
    return {
      exit: EXIT.FAILURE,
      message: `Cannot reach AWS${ctx?.endpoint ? ` at ${ctx.endpoint}` : ''}: ${error?.code ?? name}.`,
      suggestions: [ctx?.endpoint ? 'Is the endpoint running? Check --endpoint-url / AWS_ENDPOINT_URL_ECS.' : 'Check your network connection and proxy settings.'],
    }
  }

  return undefined
}

export function firstLine(text: string): string {
  return text.split('\n')[0].trim()
}
