import type {ExecuteResult, Phase, PhaseProgress} from './execute.js'
import {progressLine} from './render.js'

type Run = (onProgress: (p: PhaseProgress) => void) => Promise<ExecuteResult>

/**
 * Shows the two phases while `run` works: listr2 on a terminal (stderr, done/total, rate,
 * time left), plain progress lines on stderr otherwise (a line per phase every few seconds
 * and when it ends), so logs and CI stay readable and stdout stays clean.
 */
export async function withProgress(run: Run, opts: {tty: boolean; stream?: NodeJS.WriteStream; intervalMs?: number}): Promise<ExecuteResult> {
  const stream = opts.stream ?? process.stderr
  const state: Partial<Record<Phase, PhaseProgress>> = {}
  const started: Partial<Record<Phase, number>> = {}
  const line = (phase: Phase) => progressLine(state[phase]!, performance.now() - (started[phase] ?? performance.now()))

  if (!opts.tty) {
    const lastPrinted: Partial<Record<Phase, number>> = {}
    const interval = opts.intervalMs ?? 5000
    return run((p) => {
      state[p.phase] = p
      started[p.phase] ??= performance.now()
      const now = performance.now()
      const finished = p.done + p.failed >= p.total
      if (p.total === 0) return
      const last = lastPrinted[p.phase]
      if (finished || last === undefined || now - last >= interval) {
        if (finished && lastPrinted[p.phase] === Infinity) return
        stream.write(`${line(p.phase)}\n`)
        lastPrinted[p.phase] = finished ? Infinity : now
      }
    })
  }

  const {Listr, ListrLogger, ProcessOutput} = await import('listr2')
  const listeners = new Set<() => void>()
  const running = run((p) => {
    state[p.phase] = p
    started[p.phase] ??= performance.now()
    for (const l of listeners) l()
  })
  const phaseTask = (phase: Phase) => ({
    task: (_: unknown, task: {title: string; skip: (message?: string) => void}) =>
      new Promise<void>((resolve) => {
        const update = () => {
          if (state[phase]) task.title = titleOf(line(phase))
        }

        listeners.add(update)
        // A timer keeps rate and time left moving between completions (the delete phase is slow).
        const timer = setInterval(update, 1000)
        void running
          .then((result) => {
            clearInterval(timer)
            const p = state[phase]
            // After Ctrl-C a phase that did not finish is shown as stopped, never as done.
            if (result.cancelled && p && p.done + p.failed < p.total) task.skip(`${titleOf(p.phase)} stopped at ${p.done + p.failed}/${p.total} (Ctrl-C)${p.failed ? `, ${p.failed} failed` : ''}`)
            else update()
          }, () => clearInterval(timer))
          .finally(resolve)
      }),
    title: titleOf(phase),
  })
  // A phase with nothing to do (e.g. deregister with --inactive-only) gets no line.
  const phases = (['deregister', 'delete'] as const).filter((phase) => (state[phase]?.total ?? 0) > 0)
  // The renderers draw on their logger's "stdout": point both at stderr so stdout stays clean. That
  // goes for the fallback renderer too, which listr2 picks when stdout (not stderr) is no terminal.
  const logger = new ListrLogger({processOutput: new ProcessOutput(stream, stream), toStderr: [], useIcons: true})
  await new Listr(phases.map((phase) => phaseTask(phase)), {
    concurrent: true,
    exitOnError: false,
    fallbackRendererOptions: {logger},
    registerSignalListeners: false,
    rendererOptions: {logger},
  }).run()
  return running
}

/** `deregister 3/10 (…)` → `Deregister 3/10 (…)`: the progress line doubles as the task title. */
function titleOf(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * Progress of a long read (registration dates: 5,000 revisions take minutes at ECS's 20 reads a
 * second), on stderr: `label done/total` redrawn in place on a terminal (at most every 100 ms),
 * a line every few seconds otherwise; always a last line at the end. Silent for fewer than
 * `min` items, which come back within the read burst anyway.
 */
export function countProgress(label: string, opts: {tty: boolean; stream?: NodeJS.WritableStream; intervalMs?: number; min?: number}): (done: number, total: number) => void {
  const stream = opts.stream ?? process.stderr
  const interval = opts.intervalMs ?? (opts.tty ? 100 : 5000)
  let last = -Infinity
  return (done, total) => {
    if (total < (opts.min ?? 50)) return
    const now = performance.now()
    const finished = done >= total
    if (!finished && now - last < interval) return
    last = now
    const text = `${label} ${done}/${total}`
    if (opts.tty) stream.write(`\r${text}\u001B[K${finished ? '\n' : ''}`)
    else stream.write(`${text}\n`)
  }
}
