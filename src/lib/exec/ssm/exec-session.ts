import type {AwsContext} from '../../aws/context.js'
import {kmsForContext} from './kms.js'
import {type LiveSession, type NativeSessionOptions, runNativeSession} from './session.js'

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
  /** Streams and terminal instead of the process's own (tests). */
  io?: Pick<NativeSessionOptions, 'stdin' | 'stdout' | 'stderr' | 'terminal'>
}

/**
 * Signals that become keystrokes for the remote side, as session-manager-plugin forwards them
 * (its sessionutil.SignalsByteMap): Ctrl-C and Ctrl-\. Not SIGTSTP: with piped input, Ctrl-Z
 * still suspends taskonaut locally, the way out when the remote side ignores Ctrl-C.
 */
export const FORWARDED_SIGNALS: ReadonlyArray<{signal: NodeJS.Signals; byte: number}> = [
  {byte: 0x03, signal: 'SIGINT'},
  // Windows has no SIGQUIT to listen for.
  ...(process.platform === 'win32' ? [] : [{byte: 0x1c, signal: 'SIGQUIT' as const}]),
]

/**
 * The native counterpart of launching session-manager-plugin: runs the session on this
 * process's terminal and resolves with the remote exit code. Throws SessionError (one line
 * plus a hint) when the session cannot start or breaks.
 *
 * On a terminal, raw mode makes Ctrl-C, Ctrl-\ and Ctrl-Z reach the remote shell as bytes,
 * not as signals here. Without one (piped input), Ctrl-C and Ctrl-\ still raise SIGINT and
 * SIGQUIT here: while the shell is live they are sent on as the bytes 0x03 and 0x1c, so the
 * remote foreground process is interrupted and taskonaut stays connected (the plugin does the
 * same); before the shell is live they cancel the start. SIGTERM and SIGHUP (the terminal
 * closing) end the session politely: the agent gets TerminateSession and taskonaut exits 130.
 * Every handler is removed when the session ends, whichever way.
 */
export async function runNativeExecSession({context, io, log, session, target}: NativeExecRequest): Promise<number> {
  const controller = new AbortController()
  const stop = () => controller.abort()
  let live: LiveSession | undefined
  const forwarders = FORWARDED_SIGNALS.map(({byte, signal}) => {
    const forward = () => {
      if (live) live.sendInput(Uint8Array.of(byte))
      else controller.abort()
    }

    return {forward, signal}
  })
  process.on('SIGTERM', stop)
  process.on('SIGHUP', stop)
  for (const {forward, signal} of forwarders) process.on(signal, forward)
  try {
    return await runNativeSession({
      ...io,
      kms: kmsForContext(context),
      log,
      onStarted(started) {
        live = started
      },
      sessionId: session.sessionId ?? '',
      signal: controller.signal,
      streamUrl: session.streamUrl ?? '',
      target,
      tokenValue: session.tokenValue ?? '',
    })
  } finally {
    process.off('SIGTERM', stop)
    process.off('SIGHUP', stop)
    for (const {forward, signal} of forwarders) process.off(signal, forward)
  }
}
