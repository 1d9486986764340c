import {spawn} from 'node:child_process'
import {constants} from 'node:os'

/** Signals a terminal sends from the keyboard: during a session they belong to the remote shell. */
export const SESSION_SIGNALS = ['SIGINT', 'SIGQUIT', 'SIGTSTP'] as const

const ignore = () => {}

/**
 * Runs `fn` with SIGINT, SIGQUIT and SIGTSTP ignored by taskonaut (a listener that does
 * nothing keeps Node from dying or stopping), then removes exactly those listeners, so
 * whatever handled the signals before handles them again.
 */
export async function withSignalsIgnored<T>(fn: () => Promise<T>, proc: NodeJS.Process = process): Promise<T> {
  const installed: string[] = []
  for (const signal of SESSION_SIGNALS) {
    try {
      proc.on(signal, ignore)
      installed.push(signal)
    } catch {
      // Windows has no SIGQUIT/SIGTSTP.
    }
  }

  try {
    return await fn()
  } finally {
    for (const signal of installed) proc.off(signal, ignore)
  }
}

export interface PluginRun {
  /** Exit code of the plugin, or 128 + signal number when it was killed. */
  code: number
  signal?: NodeJS.Signals
  /** The end of what the plugin wrote on stderr (its own error messages). */
  stderrTail: string
}

export class PluginSpawnError extends Error {
  constructor(
    readonly file: string,
    readonly code: string | undefined,
  ) {
    super(`Could not start ${file}: ${code ?? 'unknown error'}`)
    this.name = 'PluginSpawnError'
  }
}

/**
 * Starts session-manager-plugin attached to this terminal. stdin and stdout are the
 * terminal's (the plugin sets raw mode itself); stderr is passed through as it comes and its
 * tail kept, so an abnormal end can be told apart from the remote command's own exit code.
 */
export function runPlugin(
  file: string,
  args: string[],
  extraEnv: Record<string, string>,
  opts: {env?: NodeJS.ProcessEnv; stderr?: NodeJS.WritableStream} = {},
): Promise<PluginRun> {
  const {env = process.env, stderr = process.stderr} = opts
  return withSignalsIgnored(
    () =>
      new Promise<PluginRun>((resolve, reject) => {
        const child = spawn(file, args, {env: {...env, ...extraEnv}, stdio: ['inherit', 'inherit', 'pipe']})
        let tail = ''
        child.stderr.on('data', (chunk: Buffer) => {
          stderr.write(chunk)
          tail = (tail + chunk.toString('utf8')).slice(-2000)
        })
        child.on('error', (error: NodeJS.ErrnoException) => reject(new PluginSpawnError(file, error.code)))
        child.on('close', (code, signal) => {
          const number = signal ? (constants.signals as Record<string, number>)[signal] ?? 0 : 0
          resolve({code: signal ? 128 + number : (code ?? 1), signal: signal ?? undefined, stderrTail: tail})
        })
      }),
  )
}
