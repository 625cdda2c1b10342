import { EXIT, UsageError } from '../cli-errors.ts'
import { completionScript, SHELLS, type Shell } from '../completion/shell-scripts.ts'
import { localCommand } from '../local-command.ts'

export const completionCommand = localCommand({
  name: 'completion',
  usage: '<bash|zsh|fish>',
  description: [
    'Prints the shell completion script: commands, flags, fixed values (slots, statuses, log',
    'levels…), profile names, and file names where a file is expected. To enable it:',
    '  bash: echo \'eval "$(cloudpartner completion bash)"\' >> ~/.bashrc',
    '  zsh:  echo \'eval "$(cloudpartner completion zsh)"\' >> ~/.zshrc   (after compinit)',
    '  fish: cloudpartner completion fish > ~/.config/fish/completions/cloudpartner.fish',
    'The script calls the `cloudpartner` on your PATH (npm install -g, or npm link, puts it there).',
  ],
  options: {},
  optionsHelp: [],
  settings: [],
  positionals: { min: 1, max: 1, names: 'the shell (bash, zsh or fish)', complete: [SHELLS] },
  async run({ io, positionals }) {
    const shell = positionals[0] as string
    if (!(SHELLS as readonly string[]).includes(shell)) {
      throw new UsageError(`completion: the shell is one of ${SHELLS.join(', ')}, not '${shell}'`)
    }
    io.out(completionScript(shell as Shell))
    return EXIT.ok
  },
})
