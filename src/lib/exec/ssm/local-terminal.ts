import type {SizeData} from './payloads.js'

/**
 * The local side of an interactive session: raw mode (so Ctrl-C, Ctrl-D, Ctrl-Z and
 * arrow keys travel to the remote shell as bytes instead of acting locally), the window size
 * and its changes. Behind an interface so tests drive sessions without a terminal.
 */
export interface LocalTerminal {
  /** Puts the terminal in raw mode; the returned function restores the previous mode (idempotent). */
  enterRawMode(): () => void
  size(): SizeData | undefined
  /** Subscribes to window size changes; returns the unsubscribe function. */
  onResize(listener: (size: SizeData) => void): () => void
}

interface TtyIn extends NodeJS.ReadableStream {
  isTTY?: boolean
  isRaw?: boolean
  setRawMode?(mode: boolean): unknown
}

interface TtyOut extends NodeJS.WritableStream {
  isTTY?: boolean
  columns?: number
  rows?: number
}

/**
 * The process's own terminal, or undefined when stdin is not one (piped input: no raw mode,
 * no size; the remote side then gets a default size from the agent).
 */
export function processTerminal(stdin: TtyIn = process.stdin, stdout: TtyOut = process.stdout): LocalTerminal | undefined {
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') return undefined
  const readSize = (): SizeData | undefined =>
    stdout.isTTY && stdout.columns && stdout.rows ? {cols: stdout.columns, rows: stdout.rows} : undefined
  return {
    enterRawMode() {
      const wasRaw = Boolean(stdin.isRaw)
      stdin.setRawMode!(true)
      let restored = false
      const restore = () => {
        if (restored) return
        restored = true
        process.off('exit', restore)
        try {
          stdin.setRawMode!(wasRaw)
        } catch {
          // The terminal is gone (hang-up): nothing left to restore.
        }
      }

      // Last resort: even a path that calls process.exit() leaves the terminal usable.
      process.once('exit', restore)
      return restore
    },
    onResize(listener) {
      const handler = () => {
        const size = readSize()
        if (size) listener(size)
      }

      stdout.on('resize', handler)
      return () => stdout.off('resize', handler)
    },
    size: readSize,
  }
}
