import type {Task} from '@aws-sdk/client-ecs'
import {Flags} from '@oclif/core'

import {EXIT} from '../lib/aws/errors.js'
import {BaseCommand} from '../lib/base-command.js'
import {shortName, taskId} from '../lib/ecs/names.js'
import {containerChoice, taskChoice} from '../lib/exec/choices.js'
import {DEFAULT_COMMAND} from '../lib/exec/default-command.js'
import {navigate} from '../lib/exec/navigate.js'
import {newestTask, pickContainer, sortTasks} from '../lib/exec/pick.js'
import {findPlugin} from '../lib/exec/plugin.js'
import {preflight} from '../lib/exec/preflight.js'
import {promptIO} from '../lib/exec/prompt-io.js'
import {clusterFromTaskArn, findTask, serviceTasks} from '../lib/exec/resolve.js'
import {runExecSession, sessionClient} from '../lib/exec/session.js'
import {clusterFlag} from '../lib/flags.js'
import {closeMatches, orList} from '../lib/text/similar.js'
import {prompts} from '../lib/ui/prompts.js'

export default class Exec extends BaseCommand<typeof Exec> {
  static description = `In a terminal, pick the cluster, the task and the container from lists (type to search, "← Back" to return); each flag given skips its question. Without a terminal every value comes from flags.
Before calling ExecuteCommand, taskonaut checks the task is RUNNING, exec is enabled on it and the container and its exec agent are running, and says how to fix what is not.
taskonaut speaks the Session Manager protocol itself (KMS-encrypted sessions included): neither the AWS CLI nor session-manager-plugin is needed. With --use-plugin (or \`taskonaut config set --use-plugin\`) the session runs through AWS's session-manager-plugin instead. The exit code is the remote command's when the agent reports it.`
  static examples = [
    '<%= config.bin %> exec',
    '<%= config.bin %> exec --cluster prod --service web',
    '<%= config.bin %> exec --cluster prod --task 3f2a9c1d --container app',
    '<%= config.bin %> exec --cluster prod --service web --no-input --command "rails db:migrate:status"',
    '<%= config.bin %> exec --cluster prod --service web --use-plugin',
  ]
  static flags = {
    cluster: clusterFlag,
    command: Flags.string({description: 'Command to run [default: bash if the container has it, else sh]'}),
    container: Flags.string({description: 'Container name (needed for tasks with several containers when not prompting)'}),
    service: Flags.string({char: 's', description: 'Service name: exec into its running task (the newest when several and not prompting)', exclusive: ['task']}),
    task: Flags.string({char: 't', description: 'Task id, ARN or a unique prefix of the id', exclusive: ['service']}),
    'use-plugin': Flags.boolean({
      allowNo: true,
      description: "Run the session through AWS's session-manager-plugin instead of taskonaut's own client (default: the usePlugin setting, else no)",
    }),
  }
  static summary = 'Open a shell (or run a command) in a running container'

  async run(): Promise<void> {
    const {flags} = this
    const ecs = await (await this.clients()).ecs()
    const cluster = flags.cluster ?? (flags.task ? clusterFromTaskArn(flags.task) : undefined)

    let task: Task
    let container: string
    if (flags.task || flags.service) {
      const where = await this.valueOrPrompt('cluster', cluster, () => navigateCluster(ecs))
      task = flags.task ? await findTask(ecs, where, flags.task) : await this.pickServiceTask(ecs, where, flags.service!)
      container = await this.pickContainer(task, flags.container)
    } else {
      if (!this.canPrompt()) this.missingFlag(cluster ? 'task' : 'cluster', cluster ? 'the task (--task, or --service)' : 'the cluster')
      const done = await navigate(promptIO(ecs), {cluster, container: flags.container})
      if (!done) {
        this.logToStderr('Nothing to exec into.')
        return
      }

      task = done.task
      // A --container the chosen task lacks fails as in the unattended path: close names, exit 2.
      container = flags.container === undefined ? done.container : await this.pickContainer(task, flags.container)
    }

    const client = sessionClient(flags['use-plugin'], await this.settings())
    const pluginPath = client === 'plugin' ? await findPlugin() : undefined
    const failed = preflight({cluster: task.clusterArn ?? cluster ?? '', container, needsPlugin: client === 'plugin', pluginPath, task}).filter((i) => !i.ok)
    if (failed.length > 0) {
      const [first, ...rest] = failed
      this.error(`Cannot exec into ${container} in task ${taskId(task.taskArn ?? '')}: ${first.problem}${first.detail ? ` (${first.detail})` : ''}.`, {
        exit: EXIT.FAILURE,
        suggestions: [first.fix ?? '', ...rest.map((i) => `Also: ${i.problem}.`)].filter(Boolean),
      })
    }

    this.logToStderr(`Exec into ${container} in ${shortName(task.clusterArn ?? '')}/${taskId(task.taskArn ?? '')}`)
    const code = await runExecSession({
      client,
      command: flags.command ?? DEFAULT_COMMAND,
      container,
      context: await this.awsContext(),
      credentials: async () => ecs.config.credentials(),
      ecs,
      pluginPath,
      task,
    })
    // The remote command's exit code becomes ours. Set rather than thrown (this.exit): nothing
    // is left to do, and an ExitError from a second copy of @oclif/core (the start-up bundle)
    // would be printed as an error.
    if (code !== 0) process.exitCode = code
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
