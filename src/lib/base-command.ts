import {Command, Errors, type Interfaces} from '@oclif/core'

import {AwsClients} from './aws/clients.js'
import {type AwsContext, chosenProfile, MissingRegionError, regionSourceName, resolveContext} from './aws/context.js'
import {EXIT, type Explained, type ExplainedError, explainAwsError, firstLine} from './aws/errors.js'
import {listProfiles, type ProfileInfo, ssoProfileOf} from './aws/profiles.js'
import {endpointProblem, profileProblem, regionProblem} from './aws/validate.js'
import {configFile} from './config/paths.js'
import {ConfigError, readSettings, type Settings} from './config/store.js'
import {globalFlags} from './flags.js'
import {closeMatches} from './text/similar.js'
import {isPromptCancel, prompts} from './ui/prompts.js'
import {terminal} from './ui/terminal.js'

/** A stable name for an error: its code (ENOTFOUND, a CLIError's code), else its class name. */
function errorCode(err: any): string {
  if (typeof err?.code === 'string') return err.code
  if (err?.name && err.name !== 'Error') return err.name
  return err?.constructor?.name ?? 'Error'
}

/** CI is set to anything but an explicit no (`CI=false`, `CI=0`, empty). */
export function inCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI?.trim().toLowerCase()
  return Boolean(ci) && ci !== 'false' && ci !== '0'
}

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * What every taskonaut command shares: the global flags, the AWS context (profile, region,
 * endpoint, credentials), the rule for when prompting is allowed, and one-line errors with
 * documented exit codes. Third-party plugins extend it too (see src/index.ts).
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static baseFlags = globalFlags

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>
  private settingsCache?: Promise<Settings>
  private profilesCache?: Promise<ProfileInfo[]>
  private contextCache?: Promise<AwsContext>
  private clientsCache?: AwsClients
  private failureCode?: string

  public async init(): Promise<void> {
    await super.init()
    const {args, flags} = await this.parse({
      args: this.ctor.args,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      flags: this.ctor.flags,
      strict: this.ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as BaseArgs<T>
    if (this.flags['no-color']) process.env.NO_COLOR = '1'
  }

  /** Prompts only when both ends are terminals, --no-input and --json are off, and CI is unset (or false, 0). */
  protected canPrompt(): boolean {
    return terminal.isInteractive() && !this.flags['no-input'] && !this.jsonEnabled() && !inCI()
  }

  /**
   * A value given as a flag is used as is; a missing one is asked for when prompting is
   * allowed, and otherwise fails at once naming the flag to pass.
   */
  protected async valueOrPrompt<V>(flag: string, value: V | undefined, ask: () => Promise<V>): Promise<V> {
    if (value !== undefined) return value
    if (!this.canPrompt()) this.missingFlag(flag)
    return ask()
  }

  protected missingFlag(flag: string, what = 'a value'): never {
    this.error(`Missing --${flag}: ${what} is needed and prompting is off (not a terminal, --no-input, --json or CI).`, {
      exit: EXIT.USAGE,
      suggestions: [`Pass --${flag}.`],
    })
  }

  /**
   * Confirmation for a change: --yes, a yes/no prompt, or an error naming --yes. `what` says
   * what would change, for that error ("This changes AWS resources").
   */
  protected async confirmOrFail(question: string, yes: boolean | undefined, what = 'This changes AWS resources'): Promise<boolean> {
    if (yes) return true
    if (!this.canPrompt()) {
      this.error(`${what} and needs confirmation, but prompting is off.`, {
        exit: EXIT.USAGE,
        suggestions: ['Pass --yes to confirm, or run it in a terminal.'],
      })
    }

    return prompts.confirm(question, false)
  }

  protected settings(): Promise<Settings> {
    this.settingsCache ??= readSettings()
    return this.settingsCache
  }

  /** The profiles in the shared AWS config and credentials files, read once per command. */
  protected awsProfiles(): Promise<ProfileInfo[]> {
    this.profilesCache ??= listProfiles()
    return this.profilesCache
  }

  /** Profile, region and endpoint by the documented precedence, checked against the AWS files. */
  protected awsContext(): Promise<AwsContext> {
    this.contextCache ??= this.buildContext()
    return this.contextCache
  }

  protected async clients(): Promise<AwsClients> {
    this.clientsCache ??= new AwsClients(await this.awsContext())
    return this.clientsCache
  }

  private async buildContext(): Promise<AwsContext> {
    const [settings, profiles] = await Promise.all([this.settings(), this.awsProfiles()])
    // The profile first: a misspelt one would otherwise surface as "no region" whenever the
    // region was to come from that profile. A name named by flag, AWS_PROFILE or the settings
    // must exist in the AWS files.
    const chosen = chosenProfile({env: process.env, flags: this.flags, settings})
    const unknown = chosen && profileProblem(chosen.name, profiles, chosen.source === 'config' ? configFile() : undefined)
    if (unknown) this.fail(unknown)
    let ctx: AwsContext
    try {
      ctx = resolveContext({
        env: process.env,
        flags: this.flags,
        profileRegion: (name) => profiles.find((p) => p.name === name)?.region,
        settings,
      })
    } catch (error) {
      if (error instanceof MissingRegionError) {
        this.error(`No AWS region is set${error.profile ? ` (profile "${error.profile}" has none)` : ''}.`, {
          exit: EXIT.USAGE,
          suggestions: ['Pass --region, set AWS_REGION, or save one with `taskonaut config set --region eu-west-1`.'],
        })
      }

      throw error
    }

    const problem = regionProblem(ctx.region, regionSourceName(ctx)) || endpointProblem(this.flags['endpoint-url'], process.env)
    if (problem) this.fail(problem)
    const name = ctx.profile ?? 'default'
    return {...ctx, profileKind: profiles.find((p) => p.name === name)?.kind, ssoProfile: ssoProfileOf(name, profiles)}
  }

  /** Stops the command with an explained failure (one line, a hint, its exit code). */
  protected fail(explained: Explained): never {
    this.error(explained.message, {exit: explained.exit, suggestions: explained.suggestions})
  }

  /** One line for people (JSON with --json); AWS errors explained; Ctrl-C at a prompt is 130. */
  protected async catch(err: Error & {exitCode?: number}): Promise<any> {
    if (isPromptCancel(err)) {
      process.exitCode = EXIT.CANCELLED
      if (this.jsonEnabled()) return super.catch(new Errors.CLIError('Cancelled.', {exit: EXIT.CANCELLED}))
      this.logToStderr('Cancelled. Nothing was changed.')
      // Returned, not thrown with this.exit(): the built CLI's handler comes from the start-up
      // bundle's copy of @oclif/core, which does not recognise this copy's ExitError and would
      // print "Error: EEXIT: 130". process.exitCode (set above) is the exit code.
      return
    }

    let mapped: Error = err
    // By name, not instanceof: a plugin or a test runner may hold another copy of this module.
    const explained = (err as Partial<ExplainedError>).explained
    if (err.name === 'ExplainedError' && explained) {
      mapped = new Errors.CLIError(explained.message, {exit: explained.exit, suggestions: explained.suggestions})
    } else if (Array.isArray((err as any).flags) && /^Nonexistent flags?:/.test(err.message)) {
      // oclif's NonExistentFlagsError (its name is plain "Error", and the bundle may rename the
      // class): oclif would print the whole help text; one line, the closest flags and where to look.
      mapped = new Errors.CLIError(firstLine(err.message), {exit: EXIT.USAGE, suggestions: this.flagSuggestions((err as any).flags)})
    } else if (err instanceof ConfigError) {
      mapped = new Errors.CLIError(err.message, {exit: EXIT.FAILURE, suggestions: ['Fix or remove that file (`taskonaut config cleanup`).']})
    } else if (!(err instanceof Errors.CLIError) && !(err as any).oclif) {
      const explained = explainAwsError(err, await this.awsContext().catch(() => undefined))
      if (explained) mapped = new Errors.CLIError(explained.message, {exit: explained.exit, suggestions: explained.suggestions})
      else if (!process.env.DEBUG && (err as any).$metadata) {
        mapped = new Errors.CLIError(`${err.name}: ${err.message}`, {exit: EXIT.FAILURE})
      }
    }

    // The JSON error's code names what really failed (ConfigError, AccessDeniedException...);
    // kept aside, as oclif would print a CLIError's code under the message for people.
    this.failureCode = errorCode(err)
    const exit = (mapped as any).oclif?.exit
    if (typeof exit === 'number') process.exitCode = exit
    return super.catch(mapped)
  }

  /**
   * With --json an error is one small document, `{error: {message, code, exit, suggestions}}`
   * (rollback adds its preview around it). oclif's default would serialise every enumerable
   * field, and a parse error carries the whole CLI configuration (about 100 kB).
   */
  protected toErrorJson(err: unknown): any {
    const e = err as Partial<Errors.CLIError>
    return {
      error: {
        code: this.failureCode ?? errorCode(e),
        exit: e.oclif?.exit ?? (typeof process.exitCode === 'number' && process.exitCode !== 0 ? process.exitCode : EXIT.FAILURE),
        message: e.message ?? String(err),
        suggestions: e.suggestions ?? [],
      },
    }
  }

  private flagSuggestions(unknown: string[]): string[] {
    const known = Object.keys({...globalFlags, ...this.ctor.flags, ...(this.ctor.enableJsonFlag ? {json: true} : {})})
    const hints = unknown.flatMap((flag) => {
      const close = closeMatches(flag.replace(/^-+/, '').split('=')[0], known, 2)
      return close.length > 0 ? [`Did you mean ${close.map((n) => `--${n}`).join(' or ')}?`] : []
    })
    const command = [this.config.bin, ...(this.id ?? '').split(':')].filter(Boolean).join(' ')
    return [...hints, `See \`${command} --help\` for its flags.`]
  }
}
