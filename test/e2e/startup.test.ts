/**
 * The built CLI (bin/run.js + dist/, as `npm run build` makes it and `npm pack` ships it):
 * bundled start-up, the V8 code cache, lazy AWS SDK, and bare `taskonaut`. Needs a build; the
 * tests skip (saying why) when dist/ is missing. Speed itself is measured in bench/startup.js.
 */
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const run = join(root, 'bin', 'run.js')
const blocker = join(root, 'test', 'e2e', 'fixtures', 'block-aws-sdk.mjs')

function files(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
}

describe('built CLI start-up (e2e)', function () {
  let sandbox: string
  let env: NodeJS.ProcessEnv

  before(function () {
    if (!existsSync(join(root, 'dist', 'oclif-core.js')) || !existsSync(join(root, 'oclif.manifest.json'))) {
      this.skip() // no build: run `npm run build` first
    }
  })

  beforeEach(function () {
    sandbox = mkdtempSync(join(tmpdir(), 'taskonaut-startup-'))
    env = {
      ...process.env,
      HOME: sandbox,
      TASKONAUT_CACHE_DIR: join(sandbox, 'cache'),
      TASKONAUT_DATA_DIR: join(sandbox, 'data'),
      XDG_CACHE_HOME: join(sandbox, 'xdg-cache'),
    }
    // test/setup.ts sets NODE_ENV=test, which would make oclif run src/ through tsx.
    delete env.NODE_ENV
    delete env.CI
  })

  afterEach(() => rmSync(sandbox, {force: true, recursive: true}))

  function cli(args: string[], opts: {env?: NodeJS.ProcessEnv; node?: string[]} = {}) {
    return spawnSync(process.execPath, [...(opts.node ?? []), run, ...args], {
      encoding: 'utf8',
      env: {...env, ...opts.env},
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 15_000,
    })
  }

  describe('the AWS SDK stays unloaded', () => {
    it('the blocking preload does catch an SDK import (control)', () => {
      const log = join(sandbox, 'blocked.txt')
      const r = spawnSync(process.execPath, ['--import', blocker, '--input-type=module', '-e', "await import('@aws-sdk/client-ecs')"], {
        cwd: root,
        encoding: 'utf8',
        env: {...env, BLOCKED_LOG: log},
      })
      expect(r.status).to.not.equal(0)
      expect(readFileSync(log, 'utf8')).to.contain('@aws-sdk/client-ecs')
    })

    for (const args of [['--version'], ['--help'], ['config', 'show'], ['config', 'show', '--json'], ['help', 'config']]) {
      it(`taskonaut ${args.join(' ')} runs without it`, () => {
        const log = join(sandbox, 'blocked.txt')
        const r = cli(args, {env: {BLOCKED_LOG: log}, node: ['--import', blocker]})
        expect(r.stderr).to.equal('')
        expect(r.status).to.equal(0)
        expect(existsSync(log), existsSync(log) ? readFileSync(log, 'utf8') : '').to.equal(false)
      })
    }
  })

  describe('the public API for plugins', () => {
    it("import 'taskonaut' (dist/index.js) does not load the AWS SDK: helpers load it when they call AWS", () => {
      const log = join(sandbox, 'blocked.txt')
      const api = pathToFileURL(join(root, 'dist', 'index.js')).href
      const r = spawnSync(process.execPath, ['--import', blocker, '--input-type=module', '-e', `const m = await import(${JSON.stringify(api)}); console.log(typeof m.BaseCommand, typeof m.listClusterArns)`], {
        encoding: 'utf8',
        env: {...env, BLOCKED_LOG: log},
      })
      expect(r.stderr).to.equal('')
      expect(r.stdout.trim()).to.equal('function function')
      expect(existsSync(log), existsSync(log) ? readFileSync(log, 'utf8') : '').to.equal(false)
    })

    it('config set (profiles and the region list) runs without the SDK', () => {
      const log = join(sandbox, 'blocked.txt')
      const awsConfig = join(sandbox, 'aws-config')
      writeFileSync(awsConfig, '[profile acme.prod]\nregion = eu-west-1\n')
      const r = cli(['config', 'set', '--profile', 'acme.prod', '--region', 'eusc-de-east-1', '--json'], {
        env: {AWS_CONFIG_FILE: awsConfig, BLOCKED_LOG: log, TASKONAUT_CONFIG_DIR: join(sandbox, 'config')},
        node: ['--import', blocker],
      })
      expect(r.stderr).to.equal('')
      expect(r.status).to.equal(0)
      expect(JSON.parse(r.stdout).settings).to.deep.equal({profile: 'acme.prod', region: 'eusc-de-east-1'})
      expect(existsSync(log), existsSync(log) ? readFileSync(log, 'utf8') : '').to.equal(false)
    })
  })

  describe('V8 code cache', () => {
    const cacheFiles = () => {
      const dir = join(sandbox, 'cache', 'code-cache')
      return existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : []
    }

    it('the first run writes a private cache that later runs use', () => {
      expect(cli(['--version']).status).to.equal(0)
      const [file, ...more] = cacheFiles()
      expect(more).to.deep.equal([])
      expect(file).to.match(new RegExp(`[0-9a-f]{16}-${process.version}-${process.arch}\\.v8cache$`))
      expect(statSync(file).mode & 0o777).to.equal(0o600)
      expect(statSync(dirname(file)).mode & 0o777).to.equal(0o700)
      const written = statSync(file).mtimeMs

      const again = cli(['--version'])
      expect(again.status).to.equal(0)
      expect(again.stdout).to.contain('taskonaut/')
      expect(statSync(file).mtimeMs, 'an accepted cache is not rewritten').to.equal(written)
    })

    it('a corrupt cache is rejected by V8, the command still works, and the cache is rewritten', () => {
      expect(cli(['--version']).status).to.equal(0)
      const [file] = cacheFiles()
      writeFileSync(file, 'garbage')
      const r = cli(['config', 'show', '--json'])
      expect(r.status).to.equal(0)
      expect(JSON.parse(r.stdout)).to.have.property('file')
      expect(statSync(file).size).to.be.greaterThan(1000)
    })

    it("a new build's cache replaces older builds' caches for the same Node version", () => {
      const dir = join(sandbox, 'cache', 'code-cache')
      mkdirSync(dir, {recursive: true})
      const older = join(dir, `0123456789abcdef-${process.version}-${process.arch}.v8cache`)
      const otherNode = join(dir, `0123456789abcdef-v99.0.0-${process.arch}.v8cache`)
      writeFileSync(older, 'old')
      writeFileSync(otherNode, 'other node')
      expect(cli(['--version']).status).to.equal(0)
      expect(existsSync(older)).to.equal(false)
      expect(existsSync(otherNode)).to.equal(true)
      expect(cacheFiles().filter((f) => f.includes(process.version))).to.have.length(1)
    })

    it('TASKONAUT_CODE_CACHE=0 turns it off', () => {
      expect(cli(['--version'], {env: {TASKONAUT_CODE_CACHE: '0'}}).status).to.equal(0)
      expect(cacheFiles()).to.deep.equal([])
    })

    it('an unwritable cache folder is not an error', () => {
      writeFileSync(join(sandbox, 'cache'), 'a file where the folder should be')
      const r = cli(['--version'])
      expect(r.status).to.equal(0)
      expect(r.stderr).to.equal('')
    })
  })

  describe('the build', () => {
    it('the manifest lists every command file the build bundled', () => {
      const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>}
      const commandsDir = join(root, 'dist', 'commands')
      const ids = files(commandsDir)
        .filter((f) => f.endsWith('.js'))
        .map((f) => relative(commandsDir, f).replace(/\.js$/, '').replace(/[\\/]index$/, '').split(/[\\/]/).join(':'))
      expect(Object.keys(manifest.commands).sort()).to.deep.equal(ids.sort())
      expect(ids).to.include('config:show')
    })

    it('commands share the one bundled @oclif/core instead of carrying their own copy', () => {
      // A message only @oclif/core's plugin loader contains.
      const marker = 'Mismatched version in'
      expect(readFileSync(join(root, 'dist', 'oclif-core.cjs'), 'utf8')).to.contain(marker).and.to.contain('__taskonautImport(')
      const bundles = ['commands', 'hooks', 'chunks'].flatMap((d) => files(join(root, 'dist', d))).filter((f) => f.endsWith('.js'))
      expect(bundles.length).to.be.greaterThan(3)
      for (const file of bundles) {
        const text = readFileSync(file, 'utf8')
        expect(text, relative(root, file)).to.not.contain(marker)
        // A bare '@oclif/core' import means plain tsc output: slow start (`npm run build` bundles).
        expect(text, `${relative(root, file)} is not bundled: run npm run build, not tsc alone`).to.not.match(/from\s*["']@oclif\/core["']/)
      }
    })
  })

  describe('plugins and completion', () => {
    it('plugins link adds a third-party command built on the public API, and unlink removes it', () => {
      // The plugin's own checkout, with taskonaut linked in as a plugin author would (npm link taskonaut).
      const plugin = join(sandbox, 'plugin-hello')
      cpSync(join(root, 'test', 'e2e', 'fixtures', 'plugin-hello'), plugin, {recursive: true})
      mkdirSync(join(plugin, 'node_modules'))
      symlinkSync(root, join(plugin, 'node_modules', 'taskonaut'), 'junction')
      const quiet = {OCLIF_DISABLE_LINKED_ESM_WARNING: '1'}
      const link = cli(['plugins', 'link', plugin, '--no-install'], {env: quiet})
      expect(link.status, link.stderr).to.equal(0)
      expect(cli(['--help'], {env: quiet}).stdout).to.match(/hello\s+Say hello from a plugin/)

      const hello = cli(['hello', '--cluster', 'ops', '--region', 'eu-west-1', '--json'], {env: quiet})
      expect(hello.status, hello.stderr).to.equal(0)
      expect(JSON.parse(hello.stdout)).to.deep.equal({cluster: 'ops', plugin: 'taskonaut-plugin-hello', region: 'eu-west-1'})
      // A linked plugin has no manifest, so start-up imports its commands, and they import
      // taskonaut's public API: that must not load the SDK for --version either.
      const log = join(sandbox, 'blocked.txt')
      const version = cli(['--version'], {env: {...quiet, BLOCKED_LOG: log}, node: ['--import', blocker]})
      expect(version.status, version.stderr).to.equal(0)
      expect(existsSync(log), existsSync(log) ? readFileSync(log, 'utf8') : '').to.equal(false)
      // BaseCommand's rules hold in the plugin too: a bad region is a usage error (exit 2).
      expect(cli(['hello', '--region', 'nowhere-1'], {env: quiet}).status).to.equal(2)

      expect(cli(['plugins', 'unlink', 'taskonaut-plugin-hello'], {env: quiet}).status).to.equal(0)
      expect(cli(['hello'], {env: quiet}).status).to.equal(2)
    })

    it('plugins install of a packed plugin built on the public API works offline: its taskonaut is this one', () => {
      // The plugin as its author publishes it: a tarball, taskonaut only a peer dependency.
      const plugin = join(sandbox, 'plugin-hello')
      cpSync(join(root, 'test', 'e2e', 'fixtures', 'plugin-hello'), plugin, {recursive: true})
      const npmEnv = {...env, npm_config_update_notifier: 'false'}
      const pack = spawnSync('npm', ['pack', '--silent'], {cwd: plugin, encoding: 'utf8', env: npmEnv, shell: process.platform === 'win32'})
      expect(pack.status, pack.stderr).to.equal(0)
      const tarball = join(plugin, pack.stdout.trim().split('\n').pop()!)

      // A registry where nothing listens: any fetch (taskonaut itself, say) would fail.
      const offline = {...npmEnv, OCLIF_DISABLE_LINKED_ESM_WARNING: '1', npm_config_registry: 'http://127.0.0.1:9/'}
      const install = cli(['plugins', 'install', `file:${tarball}`], {env: offline})
      expect(install.status, install.stderr).to.equal(0)
      const installed = join(sandbox, 'data', 'node_modules', 'taskonaut', 'package.json')
      expect(JSON.parse(readFileSync(installed, 'utf8'))).to.include({name: 'taskonaut', version: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version})

      const hello = cli(['hello', '--cluster', 'ops', '--region', 'eu-west-1', '--json'], {env: offline})
      expect(hello.status, hello.stderr).to.equal(0)
      expect(JSON.parse(hello.stdout)).to.deep.equal({cluster: 'ops', plugin: 'taskonaut-plugin-hello', region: 'eu-west-1'})
      expect(cli(['hello', '--region', 'nowhere-1'], {env: offline}).status).to.equal(2)

      // As after taskonaut moved (another prefix, another Node's copy under nvm): the install
      // that wrote the link is gone, and the plugin still gets the taskonaut that runs it.
      const index = join(sandbox, 'data', 'taskonaut-api', 'index.js')
      const moved = readFileSync(index, 'utf8').replace(/\?\? "file:[^"]+"/, '?? "file:///nowhere/taskonaut/dist/index.js"')
      expect(moved).to.contain('/nowhere/')
      writeFileSync(index, moved)
      const again = cli(['hello', '--cluster', 'ops', '--region', 'eu-west-1', '--json'], {env: offline})
      expect(again.status, again.stderr).to.equal(0)

      expect(cli(['plugins', 'uninstall', 'taskonaut-plugin-hello'], {env: offline}).status).to.equal(0)
      expect(cli(['hello'], {env: offline}).status).to.equal(2)
    })

    for (const shell of ['bash', 'zsh', 'powershell']) {
      it(`autocomplete ${shell} prints set-up steps and writes completions for every command`, () => {
        const r = cli(['autocomplete', shell])
        expect(r.status, r.stderr).to.equal(0)
        expect(r.stdout).to.contain('Setup Instructions')
        const dir = join(sandbox, 'cache', 'autocomplete', 'functions', shell)
        const [script] = readdirSync(dir)
        const text = readFileSync(join(dir, script), 'utf8')
        for (const id of ['config', 'prune', 'rollback', 'exec', 'doctor']) expect(text, `${shell}: ${id}`).to.contain(id)
      })
    }
  })

  describe('bare taskonaut', () => {
    it('without a terminal prints the root help', () => {
      const r = cli([])
      expect(r.status).to.equal(0)
      expect(r.stdout).to.contain('USAGE').and.to.contain('$ taskonaut [COMMAND]')
    })

    it('in a terminal starts exec, unless CI is set', async function () {
      const {spawn: spawnPty} = await import('@lydell/node-pty')
      const inPty = (extra: NodeJS.ProcessEnv) =>
        new Promise<string>((resolve) => {
          let out = ''
          // No region: exec stops at once with its own error instead of reaching for AWS.
          const ptyEnv = {...env, ...extra, NO_COLOR: '1'} as Record<string, string>
          delete ptyEnv.AWS_REGION
          delete ptyEnv.AWS_DEFAULT_REGION
          // Other tests write a region into the shared sandbox AWS config: use none here.
          ptyEnv.AWS_CONFIG_FILE = '/nonexistent/aws-config'
          const pty = spawnPty(process.execPath, [run], {cols: 100, env: ptyEnv, rows: 30})
          const timer = setTimeout(() => pty.kill(), 10_000)
          pty.onData((d) => (out += d))
          pty.onExit(() => {
            clearTimeout(timer)
            resolve(out)
          })
        })

      const interactive = await inPty({})
      expect(interactive).to.not.contain('USAGE')
      expect(interactive.toLowerCase()).to.contain('region')
      const ci = await inPty({CI: 'true'})
      expect(ci).to.contain('USAGE')
    })
  })
})
