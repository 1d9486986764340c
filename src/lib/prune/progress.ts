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
  const phaseTask = (phase: Phase, title: string) => ({
    task: (_: unknown, task: {title: string}) =>
      new Promise<void>((resolve) => {
        const update = () => {
          if (state[phase]) task.title = `${title}: ${line(phase)}`
        }

        listeners.add(update)
        // A timer keeps rate and time left moving between completions (the delete phase is slow).
        const timer = setInterval(update, 1000)
        running.finally(() => {
          clearInterval(timer)
          update()
          resolve()
        })
      }),
    title,
  })
  await new Listr([phaseTask('deregister', 'Deregister'), phaseTask('delete', 'Delete')], {
    concurrent: true,
    exitOnError: false,
    registerSignalListeners: false,
    // The default renderer draws on its logger's "stdout": point both at stderr so stdout stays clean.
    rendererOptions: {logger: new ListrLogger({processOutput: new ProcessOutput(stream, stream), toStderr: [], useIcons: true})},
  }).run()
  return running
}
