import type {Task} from '@aws-sdk/client-ecs'
import {Flags} from '@oclif/core'

import {EXIT, firstLine} from '../lib/aws/errors.js'
import {BaseCommand} from '../lib/base-command.js'
import {shortName, taskId} from '../lib/ecs/names.js'
import {containerChoice, taskChoice} from '../lib/exec/choices.js'
import {DEFAULT_COMMAND} from '../lib/exec/default-command.js'
import {PluginSpawnError} from '../lib/exec/launch.js'
import {navigate} from '../lib/exec/navigate.js'
import {newestTask, pickContainer, sortTasks} from '../lib/exec/pick.js'
import {findPlugin, pluginInstallHint} from '../lib/exec/plugin.js'
import {preflight} from '../lib/exec/preflight.js'
import {promptIO} from '../lib/exec/prompt-io.js'
import {clusterFromTaskArn, findTask, serviceTasks} from '../lib/exec/resolve.js'
import {runExecSession} from '../lib/exec/session.js'
import {clusterFlag} from '../lib/flags.js'
import {closeMatches, orList} from '../lib/text/similar.js'
import {prompts} from '../lib/ui/prompts.js'

export default class Exec extends BaseCommand<typeof Exec> {
  static description = `In a terminal, pick the cluster, the task and the container from lists (type to search, "← Back" to return); each flag given skips its question. Without a terminal every value comes from flags.
Before calling ExecuteCommand, taskonaut checks the task is RUNNING, exec is enabled on it, the container and its exec agent are running and session-manager-plugin is installed, and says how to fix what is not. The session runs through AWS's session-manager-plugin; the AWS CLI is not needed. The exit code is the remote command's.`
  static examples = [
    '<%= config.bin %> exec',
    '<%= config.bin %> exec --cluster prod --service web',
    '<%= config.bin %> exec --cluster prod --task 3f2a9c1d --container app',
    '<%= config.bin %> exec --cluster prod --service web --no-input --command "rails db:migrate:status"',
  ]
  static flags = {
    cluster: clusterFlag,
    command: Flags.string({description: 'Command to run [default: bash if the container has it, else sh]'}),
    container: Flags.string({description: 'Container name (needed for tasks with several containers when not prompting)'}),
    service: Flags.string({char: 's', description: 'Service name: exec into its running task (the newest when several and not prompting)', exclusive: ['task']}),
    task: Flags.string({char: 't', description: 'Task id, ARN or a unique prefix of the id', exclusive: ['service']}),
  }
  static summary = 'Open a shell (or run a command) in a running container'

  async run(): Promise<void> {
    const {flags} = this
    const ecs = await (await this.clients()).ecs()
    const cluster = flags.cluster ?? (flags.task ? clusterFromTaskArn(flags.task) : undefined)

    let task: Task
    let container: string
    try {
      if (flags.task || flags.service) {
        const where = await this.valueOrPrompt('cluster', cluster, async () => {
          const picked = await navigateCluster(ecs)
          return picked
        })
        task = flags.task ? await findTask(ecs, where, flags.task) : await this.pickServiceTask(ecs, where, flags.service!)
        container = await this.pickContainer(task, flags.container)
      } else {
        if (!this.canPrompt()) this.missingFlag(cluster ? 'task' : 'cluster', cluster ? 'the task (--task, or --service)' : 'the cluster')
        const done = await navigate(promptIO(ecs), {cluster, container: flags.container})
        if (!done) {
          this.logToStderr('Nothing to exec into.')
          return
        }

        ;({container, task} = done)
      }

      const pluginPath = await findPlugin()
      const failed = preflight({cluster: task.clusterArn ?? cluster ?? '', container, pluginPath, task}).filter((i) => !i.ok)
      if (failed.length > 0 || !pluginPath) {
        const [first, ...rest] = failed
        this.error(`Cannot exec into ${container} in task ${taskId(task.taskArn ?? '')}: ${first.problem}${first.detail ? ` (${first.detail})` : ''}.`, {
          exit: EXIT.FAILURE,
          suggestions: [first.fix ?? '', ...rest.map((i) => `Also: ${i.problem}.`)].filter(Boolean),
        })
      }

      this.logToStderr(`Exec into ${container} in ${shortName(task.clusterArn ?? '')}/${taskId(task.taskArn ?? '')}`)
      const ran = await runExecSession({
        command: flags.command ?? DEFAULT_COMMAND,
        container,
        context: await this.awsContext(),
        credentials: async () => ecs.config.credentials(),
        ecs,
        pluginPath,
        task,
      })
      if (ran.signal) {
        this.error(`session-manager-plugin was stopped by ${ran.signal}.`, {exit: ran.code, suggestions: ['Run the command again; the remote process may still be running.']})
      }

      // The plugin's own complaints come on stderr; a remote command's failure does not.
      if (ran.code !== 0 && ran.stderrTail.trim()) {
        this.error(`session-manager-plugin exited with code ${ran.code}: ${firstLine(ran.stderrTail.trim().split('\n').at(-1) ?? '')}`, {
          exit: ran.code,
          suggestions: ['Check the message above; `session-manager-plugin --version` shows the installed version.'],
        })
      }

      // The remote command's exit code becomes ours. Set rather than thrown (this.exit): nothing
      // is left to do, and an ExitError from a second copy of @oclif/core (the start-up bundle)
      // would be printed as an error.
      if (ran.code !== 0) process.exitCode = ran.code
    } catch (error) {
      if (error instanceof PluginSpawnError) {
        this.error(`${error.message}.`, {exit: EXIT.FAILURE, suggestions: [pluginInstallHint()]})
      }

      throw error
    }
  }

  /** The only task of a service, a choice between several, or the newest when not prompting. */
  private async pickServiceTask(ecs: Parameters<typeof serviceTasks>[0], cluster: string, service: string): Promise<Task> {
    const all = await serviceTasks(ecs, cluster, service)
    // Tasks still starting are listed too (desired RUNNING); only running ones can take a session.
    const running = all.filter((t) => t.lastStatus === 'RUNNING')
    const tasks = running.length > 0 ? running : all
    if (tasks.length === 1) return tasks[0]
    if (!this.canPrompt()) {
      const newest = newestTask(tasks)!
      this.logToStderr(`Service ${shortName(service)} has ${tasks.length} running tasks; using the newest, ${taskId(newest.taskArn ?? '')}.`)
      return newest
    }

    const now = Date.now()
    const arn = await prompts.search(`Task of ${shortName(service)} (${tasks.length} running)`, sortTasks(tasks).map((t) => taskChoice(t, now)))
    return tasks.find((t) => t.taskArn === arn)!
  }

  private async pickContainer(task: Task, wanted: string | undefined): Promise<string> {
    const pick = pickContainer(task, wanted)
    switch (pick.kind) {
      case 'one': {
        return pick.container.name ?? ''
      }

      case 'unknown': {
        const close = closeMatches(wanted!, pick.names)
        this.error(`Task ${taskId(task.taskArn ?? '')} has no container "${wanted}".`, {
          exit: EXIT.USAGE,
          suggestions: [`${close.length > 0 ? `Did you mean ${orList(close)}? ` : ''}Its containers: ${pick.names.join(', ')}.`],
        })
      }

      // eslint-disable-next-line no-fallthrough
      case 'none': {
        this.error(`Task ${taskId(task.taskArn ?? '')} has no containers yet.`, {exit: EXIT.FAILURE, suggestions: ['Wait until it is RUNNING.']})
      }

      // eslint-disable-next-line no-fallthrough
      default: {
        if (!this.canPrompt()) this.missingFlag('container', `the container (one of ${pick.containers.map((c) => c.name).join(', ')})`)
        return prompts.select('Container', pick.containers.map((c) => containerChoice(c)))
      }
    }
  }
}

/** Only the cluster question (for --task or --service without --cluster). */
async function navigateCluster(ecs: Parameters<typeof promptIO>[0]): Promise<string> {
  const io = promptIO(ecs)
  return io.askCluster(await io.clusters())
}
