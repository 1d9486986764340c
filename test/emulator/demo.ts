/**
 * `npm run demo [-- taskonaut args]`: starts the emulator with the demo scenario, then runs
 * taskonaut (the built bin/run.js) against it with dummy credentials and a throwaway config,
 * so anyone can try every command without an AWS account. No args: bare `taskonaut` (the
 * interactive flow in a terminal). Extra args pass through: `npm run demo -- prune --family web`.
 *
 * Environment: TASKONAUT_DEMO_TIME_SCALE (default 1) speeds up deployments and task starts;
 * TASKONAUT_DEMO_SCENARIO (default demo) picks another scenario (large, or a JSON file).
 */
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {startEmulator} from './index.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

async function main(): Promise<number> {
  if (!existsSync(join(root, 'dist', 'index.js'))) {
    process.stderr.write('dist/ is missing: running npm run build first…\n')
    const build = spawnSync('npm', ['run', 'build'], {cwd: root, stdio: 'inherit'})
    if (build.status !== 0) return build.status ?? 1
  }

  const timeScale = Number(process.env.TASKONAUT_DEMO_TIME_SCALE ?? '1')
  const options = {scenario: process.env.TASKONAUT_DEMO_SCENARIO || 'demo', timeScale: timeScale > 0 ? timeScale : 1}
  // The agent gives exec sessions a real local shell; it needs node-pty, so fall back without it.
  // With --use-plugin the real session-manager-plugin is the client: it would print the
  // agent's exit-code payload as text, so none is sent (as the real agent does for exec).
  const agent = process.argv.includes('--use-plugin') ? {sendExitCode: false} : true
  const emulator = await startEmulator({...options, agent}).catch((error: unknown) => {
    process.stderr.write(`(exec sessions unavailable: ${error instanceof Error ? error.message : String(error)})\n`)
    return startEmulator(options)
  })
  const sandbox = mkdtempSync(join(tmpdir(), 'taskonaut-demo-'))
  process.stderr.write(
    options.scenario === 'demo'
      ? `Demo account on ${emulator.endpoint}: clusters prod, staging, ops; try exec, rollback (prod/checkout → checkout:14 is broken), prune (family web has 500 revisions).\n`
      : `Scenario ${options.scenario} on ${emulator.endpoint}.\n`,
  )

  // Only the emulator's settings reach the CLI: no real profile, credentials or endpoint.
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('TASKONAUT_')) env[k] = v
  Object.assign(env, emulator.env(), {
    AWS_CONFIG_FILE: join(sandbox, 'aws-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: join(sandbox, 'aws-credentials'),
    TASKONAUT_CONFIG_DIR: join(sandbox, 'config'),
  })

  const child = spawn(process.execPath, [join(root, 'bin', 'run.js'), ...process.argv.slice(2)], {env, stdio: 'inherit'})
  // Ctrl-C belongs to the CLI (and to a remote shell during exec): the demo waits for it.
  const ignore = () => {}
  process.on('SIGINT', ignore)
  const code = await new Promise<number>((done) => {
    child.on('exit', (status, signal) => done(status ?? (signal === 'SIGINT' ? 130 : 1)))
  })
  process.off('SIGINT', ignore)
  await emulator.stop()
  rmSync(sandbox, {force: true, recursive: true})
  return code
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  },
)
