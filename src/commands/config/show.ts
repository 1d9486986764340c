import {BaseCommand} from '../../lib/base-command.js'
import {configFile} from '../../lib/config/paths.js'
import {readSettingsFile, type Settings} from '../../lib/config/store.js'

export default class ConfigShow extends BaseCommand<typeof ConfigShow> {
  static description = 'Prints where the settings file is and what it holds. Flags and environment variables override these settings.'
  static enableJsonFlag = true
  static examples = ['<%= config.bin %> config show', '<%= config.bin %> config show --json']
  static summary = 'Show the saved settings'

  async run(): Promise<{file: string; settings: Settings}> {
    const file = configFile()
    const {seedKeys, settings} = await readSettingsFile(file)
    if (seedKeys.length > 0) this.logToStderr(seedNote(seedKeys))
    if (!this.jsonEnabled()) {
      this.log(`Settings file: ${file}`)
      const keys = Object.keys(settings) as (keyof Settings)[]
      if (keys.length === 0) this.log('No settings saved. Set them with `taskonaut config set`.')
      for (const key of keys) this.log(`  ${key}: ${settings[key]}`)
    }

    return {file, settings}
  }
}

/** For a file the seed (the older taskonaut) wrote: what was read from it, and when it is rewritten. */
function seedNote(keys: string[]): string {
  return `The settings file is in the older taskonaut format (${keys.join(', ')}): awsProfile and awsRegion are read as profile and region, the rest is ignored. The next \`taskonaut config set\` rewrites it without the older keys.`
}
