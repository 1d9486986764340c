/**
 * Shell functions that complete the values of --cluster, --service and --family with live
 * names from `<bin> autocomplete:options`, and hand everything else to the completion of
 * @oclif/plugin-autocomplete (`<bin> autocomplete`). `flagWords` are the spellings that take a
 * live value (`--cluster`, `-c`...) in some command, collected from the commands' flag
 * definitions; when the command on the line gives one of them another meaning,
 * autocomplete:options exits 1 and the word goes to oclif's completion too.
 */
export function completionScript(shell: 'bash' | 'zsh', bin: string, flagWords: readonly string[]): string {
  const pattern = [...new Set(flagWords)].sort().join('|')
  const fn = `_${bin.replaceAll(/\W/g, '_')}_live`
  if (shell === 'bash') {
    return `
# ${bin}: live names for ${[...new Set(flagWords)].filter((w) => w.startsWith('--')).sort().join(', ')} (bash)
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" flag
  # bash splits --cluster=pro at "=": the flag is the word before it.
  if [[ "$cur" == "=" ]]; then flag="$prev"; cur=""
  elif [[ "$prev" == "=" ]]; then flag="\${COMP_WORDS[COMP_CWORD-2]}"
  else flag="$prev"; fi
  case "$flag" in
    ${pattern})
      # Exit 1: not a live flag of this command; oclif's completion below takes the word.
      local IFS=$'\\n' names
      if names="$(${bin} autocomplete:options -- "\${COMP_WORDS[@]:0:COMP_CWORD+1}" 2>/dev/null)"; then
        COMPREPLY=($(compgen -W "$names" -- "$cur"))
        return 0
      fi
      ;;
  esac
  if declare -F _${bin}_autocomplete >/dev/null; then _${bin}_autocomplete "$@"; fi
}
complete -o default -F ${fn} ${bin}
`
  }

  return `
# ${bin}: live names for ${[...new Set(flagWords)].filter((w) => w.startsWith('--')).sort().join(', ')} (zsh; after compinit)
${fn}() {
  local cur="\${words[CURRENT]}" flag="\${words[CURRENT-1]}"
  if [[ "$cur" == --*=* ]]; then flag="\${cur%%=*}"; fi
  case "$flag" in
    (${pattern})
      # Exit 1: not a live flag of this command; oclif's completion below takes the word.
      local out
      if out="$(${bin} autocomplete:options -- "\${(@)words[1,CURRENT]}" 2>/dev/null)"; then
        local -a names
        names=(\${(f)out})
        [[ "$cur" == --*=* ]] && compset -P '*='
        compadd -a names
        return
      fi
      ;;
  esac
  (( $+functions[_${bin}] )) || autoload -Uz _${bin}
  _${bin} "$@"
}
compdef ${fn} ${bin}
`
}
