import type { CliIo } from './cli-io.ts'

/** What one `cloudpartner` command does, once loaded: its help and its run. Answers the exit code. */
export interface Command {
  /** The whole `--help` text. */
  help(): string
  run(args: readonly string[], io: CliIo): Promise<number>
}

/**
 * A command as `cloudpartner --help` lists it, without loading it: each command's module (and what
 * it imports: Fastify, the SDK, node-forge…) is loaded only when that command runs or shows its help.
 */
export interface CommandEntry {
  /** The words that name it, e.g. ['principals', 'create']. */
  readonly path: readonly string[]
  readonly summary: string
  load(): Promise<Command>
}

export function commandName(command: CommandEntry): string {
  return command.path.join(' ')
}
