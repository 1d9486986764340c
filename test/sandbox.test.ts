import {expect} from 'chai'
import {homedir, tmpdir} from 'node:os'
import {join} from 'node:path'

import {configDir} from '../src/lib/config/paths.js'
import {ssoTokenFile} from '../src/lib/doctor/sso-token.js'

// test/setup.ts must keep every test away from the developer's own files.
describe('the test sandbox (test/setup.ts)', () => {
  const inSandbox = (path: string) => expect(path.startsWith(join(tmpdir(), 'taskonaut-test-')), path).to.equal(true)

  it('moves the home folder, so ~/.aws/sso/cache and ~/.npmrc are the sandbox ones', () => {
    inSandbox(homedir())
    inSandbox(ssoTokenFile({kind: 'sso', name: 'p', sources: ['config'], ssoSession: 's'})!)
  })

  it('moves the AWS files, the XDG folders and taskonaut settings', () => {
    for (const key of ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'TASKONAUT_DATA_DIR']) {
      inSandbox(process.env[key]!)
    }

    inSandbox(configDir())
  })
})
