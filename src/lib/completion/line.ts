/** What the shell is completing, read from the words of the command line. */
export interface CompletionRequest {
  /** Command id in oclif form (`exec`, `config:set`), or undefined when none was found. */
  commandId?: string
  /** Long name of the flag whose value is being completed (`cluster`), if any. */
  flag?: string
  /** Values of the flags already on the line, by long name (last one wins). */
  given: Record<string, string>
}

export interface FlagInfo {
  name: string
  char?: string
  /** Boolean flags take no value. */
  type: 'boolean' | 'option'
}

/**
 * Reads a command line being completed: `words` are the shell's words from the program name
 * to the word under the cursor (last, possibly empty). bash splits `--cluster=pro` into
 * `--cluster`, `=`, `pro`; those pieces are joined back first. `flagsOf` gives the flags of a
 * command id, or undefined when the id is not a command (then more words are tried, for
 * topics like `config set`). Pure, so every shape of line is tested directly.
 */
export function readCompletionLine(words: readonly string[], flagsOf: (id: string) => FlagInfo[] | undefined): CompletionRequest {
  const joined: string[] = []
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '=' && joined.length > 0 && joined.at(-1)!.startsWith('-')) {
      joined[joined.length - 1] += '=' + (words[i + 1] ?? '')
      i++
    } else joined.push(words[i])
  }

  const rest = joined.slice(1)
  const current = rest.pop() ?? ''
  // The command id: the longest run of leading plain words that names a command.
  let commandId: string | undefined
  let flags: FlagInfo[] = []
  let used = 0
  const plain = rest.findIndex((w) => w.startsWith('-'))
  const leading = rest.slice(0, plain === -1 ? rest.length : plain)
  for (let n = leading.length; n > 0; n--) {
    const found = flagsOf(leading.slice(0, n).join(':'))
    if (found) {
      commandId = leading.slice(0, n).join(':')
      flags = found
      used = n
      break
    }
  }

  const byWord = (word: string): FlagInfo | undefined => {
    if (word.startsWith('--')) return flags.find((f) => f.name === word.slice(2))
    if (/^-[A-Za-z]$/.test(word)) return flags.find((f) => f.char === word.slice(1))
    return undefined
  }

  const given: Record<string, string> = {}
  const args = rest.slice(used)
  for (let i = 0; i < args.length; i++) {
    const word = args[i]
    const eq = word.indexOf('=')
    if (word.startsWith('--') && eq > 0) {
      const flag = byWord(word.slice(0, eq))
      if (flag) given[flag.name] = word.slice(eq + 1)
      continue
    }

    const flag = byWord(word)
    if (flag?.type === 'option' && i + 1 < args.length) {
      given[flag.name] = args[i + 1]
      i++
    }
  }

  let flag: string | undefined
  const eq = current.indexOf('=')
  if (current.startsWith('--') && eq > 0) {
    flag = byWord(current.slice(0, eq))?.name
  } else {
    const previous = args.at(-1)
    // The previous word is a flag waiting for its value, unless that value was already taken.
    const before = byWord(previous ?? '')
    const consumed = args.length >= 2 && byWord(args.at(-2)!)?.type === 'option'
    if (before?.type === 'option' && !consumed) flag = before.name
  }

  return {commandId, flag, given}
}
