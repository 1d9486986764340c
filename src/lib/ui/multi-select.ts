/**
 * A multi-select for long lists (prune shows 500+ revisions), built on @inquirer/core because
 * @inquirer/checkbox cannot be bent into one: it only moves one row at a time, a digit key ticks
 * the n-th row by position (so typing "23" silently ticks rows 2 and 3, whatever they are), and
 * its answer line repeats every ticked row. Here:
 *   - ↑/↓ move a row, PgUp/PgDn a page, Home/End to the first/last row;
 *   - typing digits (or letters) jumps the cursor to the row whose key matches: it never ticks;
 *   - space ticks the row under the cursor, `a` ticks every row that is not `guarded` (or, when
 *     they all are, unticks everything): a guarded row is only ever ticked by hand. An `a` that
 *     goes on with a key being typed ("sta" of "staging") is part of the jump, not "all";
 *   - the answer line is `summarize(values)` (a count and ranges), not the rows.
 * Only taskonaut's ui layer uses it, through `prompts.checkbox` (so tests can stub it).
 */
import {
  createPrompt,
  isDownKey,
  isEnterKey,
  isSpaceKey,
  isUpKey,
  type KeypressEvent,
  makeTheme,
  useKeypress,
  usePagination,
  usePrefix,
  useRef,
  useState,
} from '@inquirer/core'

export interface MultiSelectChoice<T> {
  name: string
  value: T
  checked?: boolean
  /** A string says why it cannot be ticked. */
  disabled?: boolean | string
  /** What a person types to jump to this row (e.g. a revision number); default: the name. */
  key?: string
  /** Not ticked by `a` (all): only by space on the row itself. */
  guarded?: boolean
}

export interface MultiSelectConfig<T> {
  message: string
  choices: readonly MultiSelectChoice<T>[]
  pageSize?: number
  /** The answer shown after Enter; default: how many were ticked. */
  summarize?: (values: T[]) => string
}

/** Typed characters within this long of each other make one jump target ("2", then "23"). */
export const JUMP_TYPING_MS = 1000

interface Row<T> extends MultiSelectChoice<T> {
  checked: boolean
}

const canTick = <T>(row: Row<T>) => !row.disabled
const keyOf = <T>(row: Row<T>) => (row.key ?? row.name).trim().toLowerCase()

/** The row to jump to for `typed`: an exact key first, else the first key starting with it. */
export function jumpTarget(keys: readonly string[], typed: string): number {
  const exact = keys.indexOf(typed)
  return exact === -1 ? keys.findIndex((k) => k.startsWith(typed)) : exact
}

const isPageUp = (key: KeypressEvent) => key.name === 'pageup'
const isPageDown = (key: KeypressEvent) => key.name === 'pagedown'
const isHome = (key: KeypressEvent) => key.name === 'home'
const isEnd = (key: KeypressEvent) => key.name === 'end'
/** One visible character without ctrl (readline's events carry it as `sequence`): a candidate for type-to-jump. */
const typedChar = (key: KeypressEvent & {sequence?: string}) => (!key.ctrl && key.sequence?.length === 1 && /[\w.:-]/.test(key.sequence) ? key.sequence.toLowerCase() : undefined)

export const multiSelect = createPrompt(<T>(config: MultiSelectConfig<T>, done: (value: T[]) => void): string => {
  const pageSize = config.pageSize ?? 20
  const theme = makeTheme({})
  const [status, setStatus] = useState<'idle' | 'done'>('idle')
  const prefix = usePrefix({status, theme})
  const [rows, setRows] = useState<Row<T>[]>(() => config.choices.map((c) => ({...c, checked: Boolean(c.checked) && !c.disabled})))
  const [active, setActive] = useState(0)
  const [note, setNote] = useState<string | undefined>()
  const typed = useRef({at: 0, text: ''})
  const keys = useRef<string[] | undefined>(undefined)
  keys.current ??= rows.map((r) => keyOf(r))
  const last = rows.length - 1
  const moveTo = (index: number) => setActive(Math.max(0, Math.min(last, index)))

  useKeypress((key) => {
    const char = typedChar(key)
    if (status !== 'idle') return
    const now = Date.now()
    // The jump text with this character: typed within JUMP_TYPING_MS of the last one, it goes on ("2", then "23").
    const text = char === undefined ? '' : now - typed.current.at <= JUMP_TYPING_MS ? typed.current.text + char : char
    // `a` is "all", unless it goes on with a key being typed ("sta" of "staging").
    const jumping = char !== undefined && (char !== 'a' || (text !== char && jumpTarget(keys.current!, text) !== -1))
    if (!jumping) typed.current = {at: 0, text: ''}
    if (isEnterKey(key)) {
      setStatus('done')
      done(rows.filter((r) => r.checked).map((r) => r.value))
    } else if (isUpKey(key, theme.keybindings)) moveTo(active - 1)
    else if (isDownKey(key, theme.keybindings)) moveTo(active + 1)
    else if (isPageUp(key)) moveTo(active - pageSize)
    else if (isPageDown(key)) moveTo(active + pageSize)
    else if (isHome(key)) moveTo(0)
    else if (isEnd(key)) moveTo(last)
    else if (isSpaceKey(key)) {
      const row = rows[active]
      if (!row) return
      if (!canTick(row)) {
        setNote(`Cannot be ticked: ${typeof row.disabled === 'string' ? row.disabled : 'disabled'}.`)
        return
      }

      setNote(undefined)
      setRows(rows.map((r, i) => (i === active ? {...r, checked: !r.checked} : r)))
    } else if (char === 'a' && !jumping) {
      const bulk = rows.filter((r) => canTick(r) && !r.guarded)
      const tick = bulk.some((r) => !r.checked)
      setNote(undefined)
      // Ticking all leaves guarded rows as they are; unticking all clears them too (always safe).
      setRows(rows.map((r) => (!canTick(r) ? r : tick ? (r.guarded ? r : {...r, checked: true}) : {...r, checked: false})))
    } else if (jumping) {
      typed.current = {at: now, text}
      const target = jumpTarget(keys.current!, text)
      if (target === -1) setNote(`Nothing matches "${text}".`)
      else {
        setNote(undefined)
        moveTo(target)
      }
    }
  })

  const ticked = rows.filter((r) => r.checked)
  if (status === 'done') {
    const values = ticked.map((r) => r.value)
    const answer = config.summarize ? config.summarize(values) : `${values.length} selected`
    return `${prefix} ${theme.style.message(config.message, status)} ${theme.style.answer(answer)}`
  }

  const page = usePagination({
    active,
    items: rows,
    loop: false,
    pageSize,
    renderItem({isActive, item}) {
      const cursor = isActive ? '❯' : ' '
      if (item.disabled) return theme.style.help(`${cursor}- ${item.name} ${typeof item.disabled === 'string' ? item.disabled : '(disabled)'}`)
      const line = `${cursor}${item.checked ? '◉' : '◯'} ${item.name}`
      return isActive ? theme.style.highlight(line) : line
    },
  })
  const help = '↑↓ move • PgUp/PgDn page • Home/End first/last • type a number to jump • space tick • a all/none • ⏎ done'
  return [
    `${prefix} ${theme.style.message(config.message, status)}`,
    page,
    ` ${ticked.length} of ${rows.filter((r) => canTick(r)).length} ticked (row ${active + 1}/${rows.length})`,
    note ? theme.style.error(note) : '',
    theme.style.help(help),
  ]
    .filter(Boolean)
    .join('\n')
})
