/**
 * Bare `taskonaut`: in a terminal (stdin and stdout TTYs, CI unset) it starts the interactive
 * `exec` flow; anywhere else (pipes, scripts, CI) oclif prints the root help, as it does for
 * any CLI run without arguments. Decided here, before oclif loads anything, so it costs nothing.
 */
export function defaultArgs(argv, {env = process.env, stdin = process.stdin, stdout = process.stdout} = {}) {
  if (argv.length > 0) return argv
  return stdin.isTTY && stdout.isTTY && !env.CI ? ['exec'] : argv
}
