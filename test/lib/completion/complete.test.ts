import {ECSClient} from '@aws-sdk/client-ecs'
import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {completeLine} from '../../../src/lib/completion/complete.js'
import type {FlagInfo} from '../../../src/lib/completion/line.js'
import {completionScript} from '../../../src/lib/completion/scripts.js'
import {type Emulator, startEmulator} from '../../emulator/index.js'

const FLAGS: FlagInfo[] = [
  {char: 'c', name: 'cluster', type: 'option'},
  {char: 's', name: 'service', type: 'option'},
  {name: 'family', type: 'option'},
  {name: 'region', type: 'option'},
]

describe('live completion', () => {
  let emulator: Emulator
  let cacheDir: string
  before(async () => {
    emulator = await startEmulator({scenario: 'demo'})
  })
  after(async () => emulator.stop())
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'complete-'))
    emulator.clearLog()
  })

  const complete = (line: string[], env: NodeJS.ProcessEnv = {}) =>
    completeLine(['taskonaut', ...line], {
      cacheDir,
      ecsFor: async (ctx) => new ECSClient({endpoint: ctx.endpoint, maxAttempts: ctx.maxAttempts, region: ctx.region}),
      env: {...process.env, AWS_ENDPOINT_URL: emulator.endpoint, ...env},
      flagsOf: (id) => (id === 'exec' || id === 'prune' ? FLAGS : undefined),
    })

  it('completes clusters, then answers from the cache without calling AWS', async () => {
    expect(await complete(['exec', '--cluster', ''])).to.deep.equal(['ops', 'prod', 'staging'])
    expect(emulator.calls('ListClusters')).to.have.length(1)
    expect(await complete(['exec', '-c', 'pr'])).to.deep.equal(['ops', 'prod', 'staging'])
    expect(emulator.calls('ListClusters')).to.have.length(1)
  })

  it('completes the services of the cluster on the line, and families', async () => {
    const services = await complete(['exec', '--cluster', 'staging', '--service', ''])
    expect(services).to.deep.equal(['api', 'legacy-admin', 'notifications', 'web'])
    expect(emulator.calls('ListClusters')).to.have.length(0)
    const families = await complete(['prune', '--family', ''])
    expect(families).to.include.members(['web', 'api', 'checkout'])
  })

  it('without --cluster, offers the services of every cluster', async () => {
    const services = await complete(['exec', '--service', ''])
    expect(services).to.include.members(['bastion', 'legacy-admin', 'search'])
  })

  it('other environment keys (another account, no profile) do not get the first keys\' cached names', async () => {
    await complete(['exec', '--cluster', ''])
    await complete(['exec', '--cluster', ''], {AWS_ACCESS_KEY_ID: 'AKIDOTHEROTHEROTHER0'})
    expect(emulator.calls('ListClusters')).to.have.length(2)
    await complete(['exec', '--cluster', ''])
    expect(emulator.calls('ListClusters')).to.have.length(2)
  })

  it('a flag that is not live completes nothing and calls nothing', async () => {
    expect(await complete(['exec', '--region', ''])).to.deep.equal([])
    expect(emulator.requests).to.have.length(0)
  })

  it('the bash function offers the names for --cluster and --cluster=, and hands other words over', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bash-'))
    const script = join(dir, 'completion.bash')
    await writeFile(
      script,
      [
        // A stand-in for the CLI and for the plugin's own completion function.
        'taskonaut() { [[ "$1" == autocomplete:options ]] && printf "prod\\nstaging\\nops\\n"; }',
        '_taskonaut_autocomplete() { COMPREPLY=(from-plugin); }',
        completionScript('bash', 'taskonaut', ['--cluster', '-c', '--service']),
        'COMP_WORDS=(taskonaut exec --cluster pr); COMP_CWORD=3; _taskonaut_live; echo "A:${COMPREPLY[*]}"',
        'COMP_WORDS=(taskonaut exec --cluster = s); COMP_CWORD=4; _taskonaut_live; echo "B:${COMPREPLY[*]}"',
        'COMP_WORDS=(taskonaut exec -c ""); COMP_CWORD=3; _taskonaut_live; echo "C:${COMPREPLY[*]}"',
        'COMP_WORDS=(taskonaut exec --no-input ""); COMP_CWORD=3; _taskonaut_live; echo "D:${COMPREPLY[*]}"',
      ].join('\n'),
    )
    const {stdout} = await promisify(execFile)('bash', ['--norc', script])
    expect(stdout.trim().split('\n')).to.deep.equal(['A:prod', 'B:staging', 'C:prod staging ops', 'D:from-plugin'])
  })
})
