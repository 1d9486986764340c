import {Errors, type Hook} from '@oclif/core'

import {closeMatches} from '../lib/text/similar.js'

/** Unknown command: the closest commands, and exit 2 (a usage error), not a stack trace. */
const hook: Hook.CommandNotFound = async function (opts) {
  const ids = opts.config.commandIDs.filter((id) => !opts.config.findCommand(id)?.hidden)
  const wanted = opts.id.replaceAll(':', ' ')
  // A misspelt root flag (`--versoin`) reaches oclif as a command id too.
  const candidates = wanted.startsWith('-') ? ['--help', '--version'] : ids.map((id) => id.replaceAll(':', ' '))
  const close = closeMatches(wanted, candidates, 3)
  throw new Errors.CLIError(`"${wanted}" is not a ${opts.config.bin} command.`, {
    exit: 2,
    suggestions: [close.length > 0 ? `Did you mean: ${close.map((c) => `${opts.config.bin} ${c}`).join(', ')}?` : `Run ${opts.config.bin} --help for the list of commands.`],
  })
}

export default hook
