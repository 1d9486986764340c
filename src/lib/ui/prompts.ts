/**
 * The one place taskonaut asks questions. Every prompt goes through `prompts`, so unit tests
 * script the answers (sinon.stub(prompts, 'select').resolves(...)) and the rest of the code
 * never imports @inquirer/prompts, which is loaded on first use.
 */

export interface Choice<T> {
  name: string
  value: T
  description?: string
  disabled?: boolean | string
  checked?: boolean
}

export interface CheckboxChoice<T> extends Choice<T> {
  /** What a person types to jump to this row (e.g. a revision number). */
  key?: string
  /** Not ticked by "all": only one by one (e.g. KEEP revisions). */
  guarded?: boolean
}

/**
 * A list whose rows change while it is shown (prompts.search's `live` option): `subscribe`
 * gets a function to call with the new rows and returns the unsubscribe function; `onShow` is
 * told the values of the rows on screen after each filter or cursor move, to load them first.
 */
export interface LiveChoices<T> {
  subscribe(update: (choices: Choice<T>[]) => void): () => void
  onShow?(values: T[]): void
}

export interface Separator {
  separator: string
}

/**
 * Value returned by a list that offers "← Back". A registered symbol, so a module loaded twice
 * (as tests can load src: see `prompts` below) still agrees on what Back is.
 */
export const BACK: unique symbol = Symbol.for('taskonaut.back')

const createPrompts = () => ({
  async select<T>(message: string, choices: (Choice<T> | Separator)[], opts: {pageSize?: number; default?: T} = {}): Promise<T> {
    const {select, Separator} = await import('@inquirer/prompts')
    return select<T>({
      choices: choices.map((c) => ('separator' in c ? new Separator(c.separator) : c)),
      default: opts.default,
      loop: false,
      message,
      pageSize: opts.pageSize ?? 15,
    })
  },

  /**
   * Type-to-search over a list: filters by every word typed, case-insensitively. With `live`,
   * `choices` are the first rows and the list follows their updates while it is shown.
   */
  async search<T>(message: string, choices: Choice<T>[], opts: {pageSize?: number; live?: LiveChoices<T>} = {}): Promise<T> {
    if (opts.live) {
      const {liveSearch} = await import('./live-search.js')
      return liveSearch<T>({choices, live: opts.live, message, pageSize: opts.pageSize ?? 15})
    }

    const {search} = await import('@inquirer/prompts')
    return search<T>({
      message,
      pageSize: opts.pageSize ?? 15,
      source: async (term) => filterChoices(choices, term ?? ''),
    })
  },

  /**
   * Multi-select for lists of any length (see multi-select.ts): page and Home/End keys, typing
   * jumps to a row (`key`) and never ticks one, `guarded` rows are left out of "all", and the
   * answer line is `summarize(values)`.
   */
  async checkbox<T>(message: string, choices: CheckboxChoice<T>[], opts: {pageSize?: number; summarize?: (values: T[]) => string} = {}): Promise<T[]> {
    const {multiSelect} = await import('./multi-select.js')
    return multiSelect<T>({choices, message, pageSize: opts.pageSize ?? 20, summarize: opts.summarize})
  },

  async confirm(message: string, defaultValue = false): Promise<boolean> {
    const {confirm} = await import('@inquirer/prompts')
    return confirm({default: defaultValue, message})
  },

  async input(message: string, opts: {default?: string; validate?: (value: string) => boolean | string} = {}): Promise<string> {
    const {input} = await import('@inquirer/prompts')
    return input({default: opts.default, message, validate: opts.validate})
  },
})

/** One object per process (see terminal.ts), so stubs reach every copy of this module. */
export const prompts: ReturnType<typeof createPrompts> = ((globalThis as any)[Symbol.for('taskonaut.prompts')] ??= createPrompts())

/** Keeps the choices whose name (or description) holds every word of `term`. */
export function filterChoices<T>(choices: Choice<T>[], term: string): Choice<T>[] {
  const words = term.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return choices
  return choices.filter((c) => {
    const hay = `${c.name} ${c.description ?? ''}`.toLowerCase()
    return words.every((w) => hay.includes(w))
  })
}

/** True for the error inquirer throws when the user presses Ctrl-C at a prompt. */
export function isPromptCancel(error: unknown): boolean {
  const name = (error as Error)?.name
  return name === 'ExitPromptError' || name === 'AbortPromptError'
}
