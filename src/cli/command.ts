import type { ParseArgsOptionDescriptor } from 'node:util'
import type { CliIo } from './cli-io.ts'

/**
 * What shell completion offers for a value on the command line: the shell's own file or directory
 * names, the profiles of the profiles file, one of a fixed list of words, or nothing ('text': ids,
 * URLs, names, where offering file names would mislead).
 */
export type ValueCompletion = 'file' | 'directory' | 'profile' | 'text' | readonly string[]

/** A flag as `util.parseArgs` takes it, and what completion offers for its value. */
export interface OptionSpec extends ParseArgsOptionDescriptor {
  readonly complete?: ValueCompletion
}

/** The flags of a command by long name: a `ParseArgsOptionsConfig`, so parseArgs takes it as it is. */
export type CommandOptions = Readonly<Record<string, OptionSpec>>

/** The positional arguments of a command: how many, how to name them when missing, what they are. */
export interface PositionalsSpec {
  readonly min: number
  /** Infinity for any number (e.g. the paths of `import`). */
  readonly max: number
  /** As "missing …" names them, e.g. 'the publisher id and the offer id'. */
  readonly names: string
  /** What completion offers at each place; the last entry also holds for any place after it. */
  readonly complete?: readonly ValueCompletion[]
}

/** What one `cloudpartner` command does, once loaded: its help and its run. Answers the exit code. */
export interface Command {
  /** The whole `--help` text. */
  help(): string
  run(args: readonly string[], io: CliIo): Promise<number>
  /**
   * Every flag it takes (besides --help), declared rather than only parsed, so that parsing,
   * suggestions ("did you mean") and shell completion read the same list; `localCommand`,
   * `storeCommand` and `apiCommand` fill it from their spec.
   */
  readonly options: CommandOptions
  readonly positionals: PositionalsSpec
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
