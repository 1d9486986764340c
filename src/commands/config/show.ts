import {BaseCommand} from '../../lib/base-command.js'
import {configFile} from '../../lib/config/paths.js'
import {readSettings, type Settings} from '../../lib/config/store.js'

export default class ConfigShow extends BaseCommand<typeof ConfigShow> {
  static description = 'Prints where the settings file is and what it holds. Flags and environment variables override these settings.'
  static enableJsonFlag = true
  static examples = ['<%= config.bin %> config show', '<%= config.bin %> config show --json']
  static summary = 'Show the saved settings'

  async run(): Promise<{file: string; settings: Settings}> {
    const file = configFile()
    const settings = await readSettings(file)
    if (!this.jsonEnabled()) {
      this.log(`Settings file: ${file}`)
      const keys = Object.keys(settings) as (keyof Settings)[]
      if (keys.length === 0) this.log('No settings saved. Set them with `taskonaut config set`.')
      for (const key of keys) this.log(`  ${key}: ${settings[key]}`)
    }

    return {file, settings}
  }
}
