import {randomBytes} from 'node:crypto'

/** What ExecuteCommand returns in `session`. */
export interface ExecSession {
  sessionId?: string
  streamUrl?: string
  tokenValue?: string
}

export interface StaticCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

export interface InvocationInput {
  session: ExecSession
  region: string
  /** The profile the credentials came from; undefined when they came from elsewhere. */
  profile?: string
  /** `ecs:<clusterName>_<taskId>_<runtimeId>` */
  target: string
  /** The ECS endpoint actually used for ExecuteCommand. */
  endpoint: string
  /** Resolved credentials, handed over when there is no profile for the plugin to read. */
  credentials?: StaticCredentials
  /** Suffix of the session variable name (tests pin it); random otherwise. */
  nonce?: string
}

export interface Invocation {
  /** The six arguments after the program name (the "seven-argument form"). */
  args: string[]
  /** Variables to add to the plugin's environment. */
  env: Record<string, string>
}

export const SESSION_ENV_PREFIX = 'AWS_SSM_START_SESSION_RESPONSE'

/**
 * The arguments and environment for session-manager-plugin, the way the AWS CLI starts it:
 * session, region, StartSession, profile, request parameters, endpoint. The session (with its
 * token) travels in an environment variable whose name starts with
 * AWS_SSM_START_SESSION_RESPONSE, which the plugin reads and unsets, so the token never shows
 * in the process list. The plugin makes its own AWS calls for KMS-encrypted sessions, so it
 * gets the profile, or the credentials themselves in its environment (never on argv).
 */
export function pluginInvocation(input: InvocationInput): Invocation {
  const name = `${SESSION_ENV_PREFIX}_${input.nonce ?? randomBytes(6).toString('hex')}`
  const env: Record<string, string> = {
    [name]: JSON.stringify({SessionId: input.session.sessionId, StreamUrl: input.session.streamUrl, TokenValue: input.session.tokenValue}),
  }
  if (!input.profile && input.credentials) {
    env.AWS_ACCESS_KEY_ID = input.credentials.accessKeyId
    env.AWS_SECRET_ACCESS_KEY = input.credentials.secretAccessKey
    if (input.credentials.sessionToken) env.AWS_SESSION_TOKEN = input.credentials.sessionToken
  }

  return {
    args: [name, input.region, 'StartSession', input.profile ?? '', JSON.stringify({Target: input.target}), input.endpoint],
    env,
  }
}

/** `ecs:<clusterName>_<taskId>_<runtimeId>`, the target the SSM side knows the container by. */
export function sessionTarget(clusterName: string, taskId: string, runtimeId: string): string {
  return `ecs:${clusterName}_${taskId}_${runtimeId}`
}

/** The public ECS endpoint of a region, for when no custom endpoint is set. */
export function defaultEcsEndpoint(region: string): string {
  return `https://ecs.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`
}
