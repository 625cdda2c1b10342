import { type ParseArgsOptionsConfig, parseArgs } from 'node:util'
import { UsageError } from './cli-errors.ts'
import { didYouMean } from './suggest.ts'

/**
 * `util.parseArgs` with the CLI's conventions: strict, `--no-<flag>` for booleans, a positional count
 * check, and errors turned into one-line usage errors that name the command.
 */
export function parseCommandLine<const O extends ParseArgsOptionsConfig>(
  command: string,
  args: readonly string[],
  options: O,
  positionals: { readonly min: number; readonly max: number; readonly names: string },
) {
  let parsed: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; allowNegative: true }>>
  try {
    parsed = parseArgs({
      args: [...args],
      options,
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    })
  } catch (error) {
    throw new UsageError(`${command}: ${describeParseError(error as NodeJS.ErrnoException, options)}`)
  }
  const count = parsed.positionals.length
  if (count < positionals.min) throw new UsageError(`${command}: missing ${positionals.names}`)
  if (count > positionals.max) {
    throw new UsageError(`${command}: unexpected argument '${parsed.positionals[positionals.max]}'`)
  }
  return parsed
}

function describeParseError(error: NodeJS.ErrnoException, options: ParseArgsOptionsConfig): string {
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(error.message)?.[1]
    if (option === undefined) return 'unknown option'
    const known = ['--help', ...Object.keys(options).map((name) => `--${name}`)]
    return `unknown option ${option}${didYouMean(option.split('=')[0] as string, known)}`
  }
  if (error.code?.startsWith('ERR_PARSE_ARGS')) return error.message.split('. ')[0] ?? error.message
  throw error
}
