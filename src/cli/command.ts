import type { CliIo } from './cli-io.ts'

/** One `cloudpartner` command: its words, its help, and what it does. Answers the exit code. */
export interface Command {
  /** The words that name it, e.g. ['principals', 'create']. */
  readonly path: readonly string[]
  readonly summary: string
  /** The whole `--help` text. */
  help(): string
  run(args: readonly string[], io: CliIo): Promise<number>
}

export function commandName(command: Command): string {
  return command.path.join(' ')
}
