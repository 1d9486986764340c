import {access, constants} from 'node:fs/promises'
import {delimiter, join} from 'node:path'

export const PLUGIN_NAME = 'session-manager-plugin'

/**
 * Where session-manager-plugin is: the first match on PATH (with PATHEXT on Windows), or
 * undefined. The AWS CLI only tries to run it; looking it up first lets preflight say how to
 * install it before any AWS call is made.
 */
export async function findPlugin(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : delimiter).filter(Boolean)
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : ['']
  for (const dir of dirs) {
    for (const ext of exts) {
      const file = join(dir, PLUGIN_NAME + ext)
      try {
        await access(file, platform === 'win32' ? constants.F_OK : constants.X_OK)
        return file
      } catch {
        // not here; keep looking
      }
    }
  }

  return undefined
}

const DOCS = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html'

/** How to install the plugin on this platform (one line). */
export function pluginInstallHint(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin': {
      return `Install it: brew install --cask session-manager-plugin (or see ${DOCS}).`
    }

    case 'linux': {
      return `Install it: on Debian/Ubuntu the session-manager-plugin .deb, on Amazon Linux/RHEL the .rpm, from ${DOCS}; then make sure it is on PATH.`
    }

    case 'win32': {
      return `Install it: winget install Amazon.SessionManagerPlugin (or the installer from ${DOCS}); then open a new terminal.`
    }

    default: {
      return `Install it from ${DOCS} and make sure it is on PATH.`
    }
  }
}
