import {homedir} from 'node:os'
import {join} from 'node:path'

/** The folder name the seed used; kept so existing settings are found. */
export const CONFIG_DIRNAME = 'taskonaut-nodejs'
export const CONFIG_FILENAME = 'config.json'

/**
 * Where settings live, as the seed's `conf` package put them (env-paths' config folder for
 * "taskonaut-nodejs"): Linux `~/.config/taskonaut-nodejs` (XDG_CONFIG_HOME honoured), macOS
 * `~/Library/Preferences/taskonaut-nodejs`, Windows `%APPDATA%\taskonaut-nodejs\Config`.
 * TASKONAUT_CONFIG_DIR overrides it (tests, portable setups).
 */
export function configDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.TASKONAUT_CONFIG_DIR) return env.TASKONAUT_CONFIG_DIR
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', CONFIG_DIRNAME)
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), CONFIG_DIRNAME, 'Config')
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), CONFIG_DIRNAME)
}

export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), CONFIG_FILENAME)
}
