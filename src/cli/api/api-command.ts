import { CloudPartnerClient } from '../../sdk/index.ts'
import type { CliIo } from '../cli-io.ts'
import type { Command, CommandOptions, PositionalsSpec } from '../command.ts'
import { parseCommandLine } from '../parse-command-line.ts'
import { NO_TERMINAL, type Terminal } from '../terminal.ts'
import {
  CONNECTION_OPTIONS,
  type ConnectionSummary,
  connectionHelp,
  resolveConnection,
} from './connection.ts'
import { reportApiError } from './error-report.ts'
import { API_EXIT_HELP } from './exit-codes.ts'
import { createStyle, type Style } from './style.ts'

const JSON_OPTION = { json: { type: 'boolean' } } as const

/** What a command that calls the API gets: its arguments, a client, and the terminal's manners. */
export interface ApiContext {
  readonly io: CliIo
  readonly values: Readonly<Record<string, string | boolean | undefined>>
  readonly positionals: readonly string[]
  readonly client: CloudPartnerClient
  readonly connection: ConnectionSummary
  readonly json: boolean
  /** Colour for stdout. */
  readonly style: Style
  /** Colour for stderr (progress, notes). */
  readonly errStyle: Style
  readonly terminal: Terminal
}

export interface ApiCommandSpec {
  /** After `offers`, e.g. `list`. */
  readonly name: string
  /** After the command's name, e.g. `<publisher-id> [options]`. */
  readonly usage: string
  readonly description: readonly string[]
  readonly options: CommandOptions
  /** Help lines of the command's own options (--json is added). */
  readonly optionsHelp: readonly string[]
  readonly jsonHelp: string
  readonly positionals: PositionalsSpec
  run(context: ApiContext): Promise<number>
}

/**
 * An `offers` command over the SDK: its connection flags, --json, its help, and SDK errors turned
 * into one line, a hint and the documented exit code.
 */
export function apiCommand(spec: ApiCommandSpec): Command {
  const name = `offers ${spec.name}`
  const options: CommandOptions = { ...CONNECTION_OPTIONS, ...JSON_OPTION, ...spec.options }
  return {
    options,
    positionals: spec.positionals,
    help: () =>
      [
        `Usage: cloudpartner ${name} ${spec.usage}`,
        '',
        ...spec.description,
        '',
        'Options:',
        ...spec.optionsHelp,
        `  --json                          ${spec.jsonHelp}`,
        '',
        ...connectionHelp(),
        '',
        ...API_EXIT_HELP,
      ].join('\n'),
    async run(args, io) {
      const { values, positionals } = parseCommandLine(name, args, options, spec.positionals)
      const terminal = io.terminal ?? NO_TERMINAL
      let connection: ConnectionSummary | undefined
      try {
        const resolved = resolveConnection(io, values)
        connection = resolved.summary
        return await spec.run({
          io,
          values: values as ApiContext['values'],
          positionals,
          client: new CloudPartnerClient(resolved.options),
          connection,
          json: values.json === true,
          style: createStyle(terminal.colourStreams?.stdout),
          errStyle: createStyle(terminal.colourStreams?.stderr),
          terminal,
        })
      } catch (error) {
        const code = reportApiError(error, io, {
          summary: connection,
          publisherId: positionals[0],
          offerId: positionals[1],
          verbose: values.verbose === true,
        })
        if (code === undefined) throw error
        return code
      }
    },
  }
}
