import {EXIT} from '../../lib/aws/errors.js'
import {BaseCommand} from '../../lib/base-command.js'
import {configFile} from '../../lib/config/paths.js'
import {removeSettings} from '../../lib/config/store.js'
import {yesFlag} from '../../lib/flags.js'

export default class ConfigCleanup extends BaseCommand<typeof ConfigCleanup> {
  static description = 'Deletes the settings file, after confirmation. AWS profiles and credentials are not touched.'
  static enableJsonFlag = true
  static examples = ['<%= config.bin %> config cleanup', '<%= config.bin %> config cleanup --yes']
  static flags = {...yesFlag}
  static summary = 'Remove the saved settings'

  async run(): Promise<{file: string; removed: boolean}> {
    const file = configFile()
    const ok = await this.confirmOrFail(`Delete ${file}?`, this.flags.yes, `This deletes ${file}`)
    if (!ok) {
      // "No" at a confirmation is a cancel (exit 130), as for prune and rollback.
      this.logToStderr('Nothing was changed.')
      process.exitCode = EXIT.CANCELLED
      return {file, removed: false}
    }

    const removed = await removeSettings(file)
    if (!this.jsonEnabled()) this.log(removed ? `Removed ${file}` : `Nothing to remove: ${file} does not exist.`)
    return {file, removed}
  }
}
