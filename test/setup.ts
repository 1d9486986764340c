/**
 * Runs before every test file: no test may reach real AWS or read the developer's own
 * AWS files, SSO token cache, npm settings or taskonaut settings and plugins.
 */
import {mkdirSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const sandbox = mkdtempSync(join(tmpdir(), 'taskonaut-test-'))
const home = join(sandbox, 'home')
mkdirSync(home)

for (const key of Object.keys(process.env)) {
  if (key.startsWith('AWS_') || key.startsWith('TASKONAUT_')) delete process.env[key]
}

Object.assign(process.env, {
  AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTESTTEST',
  AWS_CONFIG_FILE: join(sandbox, 'aws-config'),
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // Nothing listens on port 9 (discard): an accidental call fails fast instead of leaving the machine.
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_REGION: 'eu-west-1',
  AWS_SECRET_ACCESS_KEY: 'test-secret',
  AWS_SHARED_CREDENTIALS_FILE: join(sandbox, 'aws-credentials'),
  TASKONAUT_CACHE_DIR: join(sandbox, 'cache'),
  TASKONAUT_CONFIG_DIR: join(sandbox, 'config'),
  TASKONAUT_DATA_DIR: join(sandbox, 'data'),
})
// os.homedir() reads HOME (USERPROFILE on Windows): ~/.aws/sso/cache, ~/.npmrc and every
// XDG folder now point into the sandbox, for this process and every child a test starts.
Object.assign(process.env, {
  HOME: home,
  USERPROFILE: home,
  XDG_CACHE_HOME: join(home, '.cache'),
  XDG_CONFIG_HOME: join(home, '.config'),
  XDG_DATA_HOME: join(home, '.local', 'share'),
})
delete process.env.DEBUG
delete process.env.CI
// oclif maps dist/ to src/ (through tsx) only outside production: tests run the TypeScript
// sources, so stubs on src modules reach the commands.
process.env.NODE_ENV = 'test'

/**
 * A test that leaves a server, socket or timer open would keep mocha from exiting and CI
 * would hang until its limit. If the process is still alive 10 s after the last test, name
 * what is keeping it and exit with mocha's own result (the timer itself keeps nothing alive).
 */
export const mochaHooks = {
  afterAll() {
    setTimeout(() => {
      const open = (process as any)._getActiveHandles().map((h: any) => h?.constructor?.name ?? typeof h)
      console.error(`Still running 10 s after the last test; open handles: ${open.join(', ')}. Exiting.`)
      process.exit(process.exitCode ?? 0)
    }, 10_000).unref()
  },
}
