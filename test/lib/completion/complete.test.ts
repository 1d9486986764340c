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
      flagsOf: (id) => (id === 'exec' || id === 'prune' ? FLAGS : id === 'other' ? [{char: 's', name: 'size', type: 'option'}] : undefined),
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

  it('a flag that is not live answers undefined (not ours: the shell hands over to oclif) and calls nothing', async () => {
    expect(await complete(['exec', '--region', ''])).to.equal(undefined)
    // A spelling that is live in other commands but means something else in this one.
    expect(await complete(['other', '-s', ''])).to.equal(undefined)
    expect(emulator.requests).to.have.length(0)
  })

  // Stand-ins for the CLI (`taskonaut autocomplete:options -- taskonaut <command> ...`: the
  // fourth word is the command) and for the plugin's own completion function. "other" plays a
  // command whose -s is not live (exit 1), "offline" a live flag whose fetch failed (empty, exit 0).
  const standIn = [
    'taskonaut() {',
    '  [[ "$1" == autocomplete:options ]] || return 0',
    '  [[ "$4" == other ]] && return 1',
    '  [[ "$4" == offline ]] && return 0',
    '  printf "prod\\nstaging\\nops\\n"',
    '}',
  ]

  it('the bash function offers the names for --cluster and --cluster=, and hands other words over', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bash-'))
    const script = join(dir, 'completion.bash')
    await writeFile(
      script,
      [
        ...standIn,
        '_taskonaut_autocomplete() { COMPREPLY=(from-plugin); }',
        completionScript('bash', 'taskonaut', ['--cluster', '-c', '--service', '-s']),
        'COMP_WORDS=(taskonaut exec --cluster pr); COMP_CWORD=3; _taskonaut_live; echo "A:${COMPREPLY[*]}"',
        'COMP_WORDS=(taskonaut exec --cluster = s); COMP_CWORD=4; _taskonaut_live; echo "B:${COMPREPLY[*]}"',
        'COMP_WORDS=(taskonaut exec -c ""); COMP_CWORD=3; _taskonaut_live; echo "C:${COMPREPLY[*]}"',
        'COMP_WORDS=(taskonaut exec --no-input ""); COMP_CWORD=3; _taskonaut_live; echo "D:${COMPREPLY[*]}"',
        'COMP_WORDS=(taskonaut other -s ""); COMP_CWORD=3; _taskonaut_live; echo "E:${COMPREPLY[*]}"',
        'COMPREPLY=(); COMP_WORDS=(taskonaut offline --cluster ""); COMP_CWORD=3; _taskonaut_live; echo "F:${COMPREPLY[*]}"',
      ].join('\n'),
    )
    const {stdout} = await promisify(execFile)('bash', ['--norc', script])
    expect(stdout.trim().split('\n')).to.deep.equal(['A:prod', 'B:staging', 'C:prod staging ops', 'D:from-plugin', 'E:from-plugin', 'F:'])
  })

  it('the zsh function does the same (skipped when zsh is not installed)', async function () {
    const zsh = await promisify(execFile)('zsh', ['-fc', 'print ok']).catch(() => undefined)
    if (!zsh) this.skip()
    const dir = await mkdtemp(join(tmpdir(), 'zsh-'))
    const script = join(dir, 'completion.zsh')
    await writeFile(
      script,
      [
        ...standIn,
        // compinit's builtins, recorded instead of completing: compdef registers, compadd offers, compset trims.
        'compdef() { }',
        'compadd() { [[ $1 == -a ]] && print -r -- "offered: ${(P)2}" }',
        'compset() { print -r -- "compset $*" }',
        '_taskonaut() { print -r -- "from-plugin" }',
        completionScript('zsh', 'taskonaut', ['--cluster', '-c', '--service', '-s']),
        't() { words=("$@"); CURRENT=${#words}; print -r -- "${words[2]} ${words[CURRENT-1]} ${words[CURRENT]}:"; _taskonaut_live }',
        't taskonaut exec --cluster pr',
        't taskonaut exec --cluster=s',
        't taskonaut exec --no-input ""',
        't taskonaut other -s ""',
        't taskonaut offline --cluster ""',
      ].join('\n'),
    )
    const {stdout} = await promisify(execFile)('zsh', ['-f', script])
    expect(stdout.trim().split('\n')).to.deep.equal([
      'exec --cluster pr:',
      'offered: prod staging ops',
      'exec exec --cluster=s:',
      'compset -P *=',
      'offered: prod staging ops',
      'exec --no-input :',
      'from-plugin',
      'other -s :',
      'from-plugin',
      'offline --cluster :',
      'offered:',
    ])
  })
})
