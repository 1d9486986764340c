/** Why a native session failed, as one line for people plus what to do about it. */
export type SessionFailure =
  | 'bad-url'
  | 'connect'
  | 'refused'
  | 'handshake'
  | 'unsupported'
  | 'lost'
  | 'protocol'
  | 'kms'

export class SessionError extends Error {
  constructor(
    readonly kind: SessionFailure,
    message: string,
    readonly hint: string,
  ) {
    super(message)
    this.name = 'SessionError'
  }
}

export const USE_PLUGIN_HINT = "Run again with --use-plugin to use AWS's session-manager-plugin instead."
