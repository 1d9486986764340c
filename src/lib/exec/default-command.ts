/**
 * What runs when --command is not given: bash where the image has it, else sh, decided in the
 * container by one command, so there is no failed first attempt and no second ExecuteCommand.
 * The exec agent splits the command like a shell does, so the quoted script stays one argument.
 */
export const DEFAULT_COMMAND = "sh -c 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'"
