/**
 * The completion scripts. Each asks `cloudpartner __complete <words…>` (the words after
 * `cloudpartner` up to the one under the cursor) and gets one candidate a line, or `:file` /
 * `:directory` to complete the shell's own paths: the command specs stay the one source, and a
 * new command or flag completes without a new script.
 */
export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

export function completionScript(shell: Shell): string {
  return SCRIPTS[shell]
}

const SCRIPTS: Record<Shell, string> = {
  bash: `# cloudpartner completion for bash: eval "$(cloudpartner completion bash)"
_cloudpartner_complete() {
  local current=\${COMP_WORDS[COMP_CWORD]} IFS=$'\\n'
  local -a answer
  answer=($(cloudpartner __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  case "\${answer[0]}" in
    :file) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$current")) ;;
    :directory) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$current")) ;;
    *) COMPREPLY=("\${answer[@]}") ;;
  esac
}
complete -F _cloudpartner_complete cloudpartner
`,
  zsh: `#compdef cloudpartner
# cloudpartner completion for zsh: eval "$(cloudpartner completion zsh)" after compinit
_cloudpartner() {
  local -a answer
  answer=("\${(@f)$(cloudpartner __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  case "$answer[1]" in
    :file) _files ;;
    :directory) _files -/ ;;
    '') return 1 ;;
    *) compadd -- "\${answer[@]}" ;;
  esac
}
compdef _cloudpartner cloudpartner
`,
  fish: `# cloudpartner completion for fish: cloudpartner completion fish | source
function __cloudpartner_complete
    set -l before (commandline -opc)
    set -l current (commandline -ct)
    set -q current[1]; or set current ''
    set -l answer (cloudpartner __complete $before[2..-1] $current 2>/dev/null)
    switch "$answer[1]"
        case :file
            __fish_complete_path $current
        case :directory
            __fish_complete_directories $current
        case '*'
            printf '%s\\n' $answer
    end
end
complete -c cloudpartner -f -a '(__cloudpartner_complete)'
`,
}
