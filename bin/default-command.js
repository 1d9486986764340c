/**
 * Bare `taskonaut`: in a terminal (stdin and stdout TTYs, CI unset or false/0) it starts the
 * interactive `exec` flow; anywhere else (pipes, scripts, CI) oclif prints the root help, as it
 * does for any CLI run without arguments. Decided here, before oclif loads anything, so it
 * costs nothing.
 */
export function defaultArgs(argv, {env = process.env, stdin = process.stdin, stdout = process.stdout} = {}) {
  if (argv.length > 0) return argv
  return stdin.isTTY && stdout.isTTY && !inCI(env) ? ['exec'] : argv
}

/** CI set to anything but an explicit no (CI=false, CI=0); the same rule as BaseCommand's inCI. */
function inCI(env) {
  const ci = env.CI?.trim().toLowerCase()
  return Boolean(ci) && ci !== 'false' && ci !== '0'
}
