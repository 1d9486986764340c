import type {AwsContext} from '../../aws/context.js'
import {kmsForContext} from './kms.js'
import {runNativeSession} from './session.js'

export interface ExecuteCommandSession {
  sessionId?: string
  streamUrl?: string
  tokenValue?: string
}

export interface NativeExecRequest {
  /** ExecuteCommand's answer `session`. */
  session: ExecuteCommandSession
  /** The profile and region of the ExecuteCommand call: KMS-encrypted sessions use them for GenerateDataKey. */
  context: AwsContext
  /** "ecs:<cluster>_<taskId>_<runtimeId>" (sessionTarget in plugin-invocation.ts). */
  target: string
  log?: (line: string) => void
}

/**
 * The native counterpart of launching session-manager-plugin: runs the session on this
 * process's terminal and resolves with the remote exit code. Throws SessionError (one line
 * plus a hint) when the session cannot start or breaks.
 *
 * The terminal is in raw mode while the session runs, so Ctrl-C, Ctrl-\ and Ctrl-Z reach the
 * remote shell as bytes, not as signals here. SIGTERM and SIGHUP (the terminal closing) end
 * the session politely: the agent gets TerminateSession and taskonaut exits 130.
 */
export async function runNativeExecSession({context, log, session, target}: NativeExecRequest): Promise<number> {
  const controller = new AbortController()
  const stop = () => controller.abort()
  process.on('SIGTERM', stop)
  process.on('SIGHUP', stop)
  try {
    return await runNativeSession({
      kms: kmsForContext(context),
      log,
      sessionId: session.sessionId ?? '',
      signal: controller.signal,
      streamUrl: session.streamUrl ?? '',
      target,
      tokenValue: session.tokenValue ?? '',
    })
  } finally {
    process.off('SIGTERM', stop)
    process.off('SIGHUP', stop)
  }
}
