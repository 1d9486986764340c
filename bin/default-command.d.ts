// Types for bin/default-command.js.
export function defaultArgs(
  argv: string[],
  io?: {env?: Record<string, string | undefined>; stdin?: {isTTY?: boolean}; stdout?: {isTTY?: boolean}},
): string[]
