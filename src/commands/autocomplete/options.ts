import {Command} from '@oclif/core'

import {AwsClients} from '../../lib/aws/clients.js'
import {completeLine} from '../../lib/completion/complete.js'
import type {FlagInfo} from '../../lib/completion/line.js'
import {isLiveFlag, LIVE_FLAGS} from '../../lib/completion/live-flags.js'
import {completionScript} from '../../lib/completion/scripts.js'

/**
 * The shell completion functions call this on TAB after --cluster, --service or --family:
 * `taskonaut autocomplete:options -- <words up to the cursor>` prints one name per line,
 * from a cache per profile and region (refreshed after ten minutes). It never prompts and
 * never prints an error: a failed completion is simply empty. When the flag under the cursor
 * is not a live one for the command on the line, it exits 1 and prints nothing, and the
 * shell function falls back to oclif's completion. `--script bash|zsh` prints the shell
 * functions to add to your shell's rc file.
 */
export default class AutocompleteOptions extends Command {
  static description = 'Live values for flag completion (used by the shell completion functions); --script bash|zsh prints those functions.'
  static hidden = true
  static strict = false

  async run(): Promise<void> {
    // Parsed by hand: the words after -- are another command's line, and oclif would reject its flags.
    const [first, second] = this.argv
    if (first === '--script') {
      const shell = second === 'zsh' ? 'zsh' : 'bash'
      this.log(completionScript(shell, this.config.bin, this.liveFlagWords()))
      return
    }

    const words = first === '--' ? this.argv.slice(1) : this.argv
    try {
      const names = await completeLine(words, {
        cacheDir: this.config.cacheDir,
        ecsFor: (ctx) => new AwsClients(ctx).ecs(),
        flagsOf: (id) => this.flagsOf(id),
      })
      // Exit 1 tells the shell function this word is not ours to complete (see completeLine).
      // Set, not thrown: nothing is left to do, and oclif would print an ExitError.
      if (names === undefined) process.exitCode = 1
      else if (names.length > 0) this.log(names.join('\n'))
    } catch (error) {
      if (process.env.DEBUG) this.logToStderr(String(error))
    }
  }

  private flagsOf(id: string): FlagInfo[] | undefined {
    const command = this.config.findCommand(id)
    if (!command) return undefined
    return Object.values(command.flags).map((f) => ({char: f.char, name: f.name, type: f.type}))
  }

  /** Every spelling (`--cluster`, `-c`) of a flag named cluster, service or family in any command. */
  private liveFlagWords(): string[] {
    const words: string[] = []
    for (const command of this.config.commands) {
      for (const flag of Object.values(command.flags)) {
        if (!isLiveFlag(flag.name)) continue
        words.push(`--${flag.name}`)
        if (flag.char) words.push(`-${flag.char}`)
      }
    }

    return words.length > 0 ? words : LIVE_FLAGS.map((f) => `--${f}`)
  }
}
