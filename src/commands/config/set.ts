import {Flags} from '@oclif/core'

import {BaseCommand} from '../../lib/base-command.js'
import {awsConfigPath, awsCredentialsPath} from '../../lib/aws/files.js'
import {knownRegions} from '../../lib/aws/regions.js'
import {profileProblem, regionProblem} from '../../lib/aws/validate.js'
import {configFile} from '../../lib/config/paths.js'
import {readSettingsFile, type Settings, writeSettings} from '../../lib/config/store.js'
import {prompts} from '../../lib/ui/prompts.js'

export default class ConfigSet extends BaseCommand<typeof ConfigSet> {
  static description = `Saves the AWS profile and region taskonaut uses when neither a flag nor an environment variable names one.
In a terminal, missing values are picked from lists with type-to-search: profiles from your AWS config and credentials files, regions from the AWS SDK's published region list.`
  static enableJsonFlag = true
  static examples = [
    '<%= config.bin %> config set',
    '<%= config.bin %> config set --profile acme.prod --region eu-west-1',
    '<%= config.bin %> config set --max-attempts 10',
  ]
  static flags = {
    'max-attempts': Flags.integer({description: 'Attempts per AWS call, with adaptive backoff (1-20)', max: 20, min: 1}),
    'use-plugin': Flags.boolean({allowNo: true, description: "exec: use AWS's session-manager-plugin"}),
  }
  static summary = 'Save the default profile and region'

  async run(): Promise<{file: string; settings: Settings}> {
    const file = configFile()
    const {seedKeys, settings: current} = await readSettingsFile(file)
    const {flags} = this
    const anyGiven = [flags.profile, flags.region, flags['max-attempts'], flags['use-plugin']].some((v) => v !== undefined)

    let {profile, region} = flags
    // With only other settings given, do not ask for profile and region.
    if (!anyGiven || profile !== undefined || region !== undefined) {
      profile = await this.valueOrPrompt('profile', profile ?? (anyGiven ? current.profile ?? '' : undefined), () => this.askProfile(current.profile))
      region = await this.valueOrPrompt('region', region ?? (anyGiven ? current.region ?? '' : undefined), () => this.askRegion(current.region))
    }

    // Only what was given or picked now is checked: a saved profile that has since left the
    // AWS files must not block saving another setting (the commands that use it report it).
    const profileGiven = flags.profile !== undefined || !anyGiven
    const regionGiven = flags.region !== undefined || !anyGiven
    const problem = (profileGiven && profile && profileProblem(profile, await this.awsProfiles())) || (regionGiven && region && regionProblem(region))
    if (problem) this.fail(problem)
    const settings: Settings = {...current}
    if (profile) settings.profile = profile
    if (region) settings.region = region
    if (flags['max-attempts'] !== undefined) settings.maxAttempts = flags['max-attempts']
    if (flags['use-plugin'] !== undefined) settings.usePlugin = flags['use-plugin']
    await writeSettings(settings, file)
    if (seedKeys.length > 0) this.logToStderr(`Rewrote ${file} in the current format, without the older keys (${seedKeys.join(', ')}).`)
    if (!this.jsonEnabled()) {
      this.log(`Saved to ${file}`)
      for (const [key, value] of Object.entries(settings)) this.log(`  ${key}: ${value}`)
    }

    return {file, settings}
  }

  private async askProfile(current?: string): Promise<string> {
    const profiles = await this.awsProfiles()
    if (profiles.length === 0) {
      // Environment, container or instance credentials need no profile: save the rest.
      this.logToStderr(`No AWS profiles in ${awsConfigPath()} or ${awsCredentialsPath()}: no profile is saved (credentials come from the environment, a container or an instance role).`)
      return ''
    }

    return prompts.search(
      'AWS profile',
      profiles.map((p) => ({
        description: [p.kind, p.region].filter(Boolean).join(', '),
        name: p.name === current ? `${p.name} (current)` : p.name,
        value: p.name,
      })),
    )
  }

  private async askRegion(current?: string): Promise<string> {
    return prompts.search(
      'AWS region',
      // The description is part of the name (typing "frankfurt" finds eu-central-1), so it is
      // not repeated under the list.
      knownRegions().map((r) => ({
        name: `${r.name}${r.name === current ? ' (current)' : ''}  ${r.description}`,
        value: r.name,
      })),
    )
  }
}
