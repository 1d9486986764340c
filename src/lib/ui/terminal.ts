/**
 * Facts about the terminal, behind an object so tests can stub them (sinon.stub(terminal, ...)).
 * One object per process (kept on globalThis): a module loaded twice — through require and
 * import under a test runner, or a plugin bundling its own copy of taskonaut — still shares it.
 */
const createTerminal = () => ({
  /** Both ends are a terminal: prompts and spinners make sense. */
  isInteractive(): boolean {
    return Boolean(process.stdin.isTTY && process.stdout.isTTY)
  },
  /** stderr is a terminal (progress rendering). */
  stderrIsTTY(): boolean {
    return Boolean(process.stderr.isTTY)
  },
  /** clig.dev: colour only on a terminal, never with NO_COLOR or --no-color. */
  colorEnabled(noColorFlag = false): boolean {
    return !noColorFlag && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb' && Boolean(process.stdout.isTTY)
  },
})

export const terminal: ReturnType<typeof createTerminal> = ((globalThis as any)[Symbol.for('taskonaut.terminal')] ??= createTerminal())
