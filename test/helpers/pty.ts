/**
 * A program in a real pseudo-terminal (@lydell/node-pty) for end-to-end tests: what it shows
 * (escape sequences stripped), a way to wait for text on its screen, keystrokes in. Every
 * terminal opened is remembered so an afterEach can kill what a failed test left running.
 */
import {spawn} from '@lydell/node-pty'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The built CLI (needs `npm run build`). */
export const BUILT_CLI = join(ROOT, 'bin', 'run.js')

/** Terminal text as a person reads it: colours, cursor moves, charset switches and carriage returns removed. */
// eslint-disable-next-line no-control-regex
export const plain = (text: string) => text.replaceAll(/\u001B\[[\d;?]*[A-Za-z]|\u001B[()][AB012]|\r/g, '')

export interface Terminal {
  /** Resolves with the exit code when the program ends. */
  exited: Promise<number>
  /** Everything shown so far, as plain text. */
  screen(): string
  /**
   * Resolves when `text` (or a match of the pattern) appears after the last thing waited for;
   * fails with the end of the screen after timeoutMs.
   */
  waitFor(text: RegExp | string, timeoutMs?: number): Promise<void>
  write(data: string): void
  kill(): void
}

const open = new Set<Terminal>()

export interface TerminalOptions {
  env: NodeJS.ProcessEnv
  cols?: number
  rows?: number
  cwd?: string
}

/** Starts `file args` in a new pseudo-terminal. */
export function openTerminal(file: string, args: string[], {cols = 160, cwd = ROOT, env, rows = 40}: TerminalOptions): Terminal {
  const term = spawn(file, args, {cols, cwd, env: env as Record<string, string>, name: 'xterm-256color', rows})
  let screen = ''
  let mark = 0
  const exited = new Promise<number>((resolve) => {
    term.onExit(({exitCode}) => resolve(exitCode))
  })
  term.onData((data) => {
    screen += data
  })
  const terminal: Terminal = {
    exited,
    kill: () => term.kill(),
    screen: () => plain(screen),
    async waitFor(text, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs
      while (Date.now() < until) {
        const shown = plain(screen)
        if (typeof text === 'string') {
          const at = shown.indexOf(text, mark)
          if (at !== -1) {
            mark = at + text.length
            return
          }
        } else {
          const match = new RegExp(text.source, text.flags.replace('g', '')).exec(shown.slice(mark))
          if (match) {
            mark += match.index + match[0].length
            return
          }
        }

        await new Promise((r) => setTimeout(r, 25))
      }

      throw new Error(`${String(text)} did not appear. Screen:\n${plain(screen).slice(-6000)}`)
    },
    write: (data) => term.write(data),
  }
  open.add(terminal)
  void exited.then(() => open.delete(terminal))
  return terminal
}

/** The built CLI in a pseudo-terminal. */
export function openCli(args: string[], options: TerminalOptions): Terminal {
  return openTerminal(process.execPath, [BUILT_CLI, ...args], options)
}

/** Kills every terminal still running (for afterEach). */
export function killTerminals(): void {
  for (const terminal of open) terminal.kill()
  open.clear()
}
