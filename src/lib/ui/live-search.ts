/**
 * Type-to-search over a list that changes while it is on screen: @inquirer/search asks its
 * source again only when the search term changes, so rows filled in later (revision dates
 * loaded in the background) would never show. Same keys and layout as the stock search
 * prompt; loaded only when such a list is shown (prompts.search with `live`).
 */
import {createPrompt, isDownKey, isEnterKey, isUpKey, makeTheme, useEffect, useKeypress, useMemo, usePagination, usePrefix, useState} from '@inquirer/core'
import {styleText} from 'node:util'

import {type Choice, filterChoices, type LiveChoices} from './prompts.js'

export interface LiveSearchConfig<T> {
  message: string
  choices: Choice<T>[]
  live: LiveChoices<T>
  pageSize: number
}

const theme = makeTheme({})
const selectable = <T>(c: Choice<T>) => !c.disabled

function view<T>(config: LiveSearchConfig<T>, done: (value: T) => void): [string, string] | string {
  const {live, pageSize} = config
  const [status, setStatus] = useState<'done' | 'idle'>('idle')
  const [term, setTerm] = useState('')
  const [choices, setChoices] = useState(config.choices)
  // The cursor follows a value, not a position: rows may change or re-sort under it.
  const [cursor, setCursor] = useState<{value: T} | undefined>()
  const prefix = usePrefix({status, theme})

  useEffect(() => live.subscribe((next) => setChoices(next)), [])
  const items = useMemo(() => filterChoices(choices, term), [choices, term])
  let active = cursor ? items.findIndex((c) => selectable(c) && c.value === cursor.value) : -1
  if (active === -1) active = items.findIndex(selectable)
  const selected: Choice<T> | undefined = items[active]

  useEffect(() => {
    // The rows on screen (the page holds the cursor row and at most pageSize around it).
    const from = Math.max(0, active - pageSize)
    live.onShow?.(items.slice(from, active + pageSize).map((c) => c.value))
  }, [items, active])

  useKeypress((key, rl) => {
    if (isEnterKey(key)) {
      if (selected && selectable(selected)) {
        setStatus('done')
        done(selected.value)
      } else {
        rl.write(term) // Enter cleared readline's line: put the term back
      }

      return
    }

    if (isUpKey(key) || isDownKey(key)) {
      rl.clearLine(0)
      rl.write(term)
      const step = isUpKey(key) ? -1 : 1
      for (let next = active + step; next >= 0 && next < items.length; next += step) {
        if (selectable(items[next])) {
          setCursor({value: items[next].value})
          break
        }
      }

      return
    }

    setTerm(rl.line)
  })

  const page = usePagination({
    active: Math.max(0, active),
    items,
    loop: false,
    pageSize,
    renderItem({isActive, item}) {
      if (item.disabled) return styleText('dim', `- ${item.name} ${typeof item.disabled === 'string' ? item.disabled : '(disabled)'}`)
      return isActive ? theme.style.highlight(`❯ ${item.name}`) : `  ${item.name}`
    },
  })
  const message = theme.style.message(config.message, status)
  if (status === 'done' && selected) return [prefix, message, theme.style.answer(selected.name)].join(' ')
  const empty = items.length === 0 && term !== ''
  const help = [styleText('bold', '↑↓'), styleText('dim', 'navigate'), styleText('dim', '•'), styleText('bold', '⏎'), styleText('dim', 'select')].join(' ')
  const header = [prefix, message, styleText('cyan', term)].filter(Boolean).join(' ').trimEnd()
  const body = [empty ? theme.style.error('No results found') : page, ' ', selected?.description ? styleText('cyan', selected.description) : '', help]
    .filter(Boolean)
    .join('\n')
    .trimEnd()
  return [header, body]
}

export const liveSearch = createPrompt(view) as <T>(config: LiveSearchConfig<T>) => Promise<T>
