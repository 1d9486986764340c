import type {Cluster, ECSClient, Task} from '@aws-sdk/client-ecs'

import {shortName} from '../ecs/names.js'
import {BACK, type Choice, prompts} from '../ui/prompts.js'
import {terminal} from '../ui/terminal.js'
import {clusterChoice, containerChoice, sortClusters, taskChoice} from './choices.js'
import {loadClusters, loadRunningTasks} from './load.js'
import {sortTasks} from './pick.js'
import {inCluster} from '../ecs/lookup.js'

const backChoice: Choice<typeof BACK> = {name: '← Back', value: BACK}

/** A line on stderr that the next one replaces (only on a terminal). */
function progress(text: string | undefined): void {
  if (!terminal.stderrIsTTY()) return
  process.stderr.write(text === undefined ? '\r\u001B[2K' : `\r\u001B[2K${text}`)
}

/** The interactive exec questions, asked through the ui layer, with data from ECS. */
export function promptIO(ecs: ECSClient): import('./navigate.js').NavigatorIO {
  return {
    async askCluster(clusters: Cluster[]) {
      return prompts.search('Cluster', sortClusters(clusters).map((c) => clusterChoice(c)))
    },

    async askContainer(task: Task, canGoBack: boolean) {
      const choices: Choice<string | typeof BACK>[] = (task.containers ?? []).map((c) => containerChoice(c))
      if (canGoBack) choices.push(backChoice)
      return prompts.select<string | typeof BACK>('Container', choices)
    },

    async askEmpty(cluster: string, canGoBack: boolean) {
      process.stderr.write(`Cluster ${shortName(cluster)} has no running tasks.\n`)
      // With no way back (--cluster given) a menu holding only "Leave" would be a question without a choice.
      if (!canGoBack) return 'leave'
      const choices: Choice<'back' | 'leave'>[] = [
        {name: '← Back to the clusters', value: 'back'},
        {name: 'Leave', value: 'leave'},
      ]
      return prompts.select('What now?', choices)
    },

    async askTask(cluster: string, tasks: Task[], canGoBack: boolean) {
      const now = Date.now()
      const choices: Choice<string | typeof BACK>[] = sortTasks(tasks).map((t) => taskChoice(t, now))
      // Back goes last, so Enter on an untouched list picks a task; typing "back" finds it in any list.
      if (canGoBack) choices.push(backChoice)
      const hint = canGoBack ? 'type to search, "back" to go back' : 'type to search'
      return prompts.search<string | typeof BACK>(`Task in ${shortName(cluster)} (${tasks.length} running; ${hint})`, choices)
    },

    async clusters() {
      progress('Loading clusters…')
      try {
        return await loadClusters(ecs)
      } finally {
        progress(undefined)
      }
    },

    async tasks(cluster: string) {
      progress(`Loading the running tasks of ${shortName(cluster)}…`)
      try {
        return await inCluster(ecs, cluster, () =>
          loadRunningTasks(ecs, cluster, {}, {onProgress: (n) => progress(`Loading the running tasks of ${shortName(cluster)}… ${n}`)}),
        )
      } finally {
        progress(undefined)
      }
    },
  }
}
