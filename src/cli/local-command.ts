import type { parseArgs } from 'node:util'
import type { ConfigKey, Flags } from '../config.ts'
import type { CliIo } from './cli-io.ts'
import type { Command, CommandOptions, PositionalsSpec } from './command.ts'
import { parseCommandLine } from './parse-command-line.ts'
import { configFlags, settingOptions, settingsHelp } from './settings-flags.ts'

/** The values parseArgs answers for a command's own options, typed from their declaration. */
export type OptionValues<O extends CommandOptions> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; allowNegative: true }>
>['values']

/** What a command run on this machine gets: its arguments, and the settings given as flags. */
export interface LocalContext<O extends CommandOptions> {
  readonly io: CliIo
  readonly values: OptionValues<O>
  readonly positionals: readonly string[]
  /** The settings among the flags, for loadConfig (which adds the environment). */
  readonly flags: Flags
}

export interface LocalCommandSpec<O extends CommandOptions, C> {
  /** The words that name it, e.g. `principals grant`. */
  readonly name: string
  /** After the name, e.g. `<client-id> <publisher> [options]`. */
  readonly usage: string
  /** Lines between the usage line and the options. */
  readonly description?: readonly string[]
  /** Its own options; the settings' flags are added. */
  readonly options: O
  /** Help lines of its own options. */
  readonly optionsHelp: readonly string[]
  /** The settings of src/config.ts it takes, as flags and environment variables, listed after the options. */
  readonly settings: readonly ConfigKey[]
  /** The heading of the options (serve lists Settings). Default: Options. */
  readonly optionsHeading?: string
  /** Lines after the options. */
  readonly epilogue?: readonly string[]
  readonly positionals: PositionalsSpec
  run(context: C): Promise<number>
}

/**
 * A command declared rather than hand-rolled: its help is built from the spec, its command line
 * parsed strictly (with the settings' flags), and its options exposed for completion and
 * suggestions. The twin of apiCommand for the commands that do not call the API.
 */
export function localCommand<const O extends CommandOptions>(
  spec: LocalCommandSpec<O, LocalContext<O>>,
): Command {
  const options: CommandOptions = { ...settingOptions(spec.settings), ...spec.options }
  return {
    options,
    positionals: spec.positionals,
    help: () =>
      [
        `Usage: cloudpartner ${spec.name} ${spec.usage}`,
        '',
        ...(spec.description === undefined ? [] : [...spec.description, '']),
        `${spec.optionsHeading ?? 'Options'}:`,
        ...spec.optionsHelp,
        ...settingsHelp(spec.settings),
        ...(spec.epilogue === undefined ? [] : ['', ...spec.epilogue]),
      ].join('\n'),
    async run(args, io) {
      const { values, positionals } = parseCommandLine(spec.name, args, options, spec.positionals)
      return spec.run({
        io,
        values: values as OptionValues<O>,
        positionals,
        flags: configFlags(values),
      })
    },
  }
}
