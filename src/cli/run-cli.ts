import { ConfigError } from '../config.ts'
import { PACKAGE_VERSION } from '../version.ts'
import { EXIT, OperationError, UsageError } from './cli-errors.ts'
import type { CliIo } from './cli-io.ts'
import { type CommandEntry, commandName } from './command.ts'
import { COMMANDS } from './commands/index.ts'
import { didYouMeanNamed } from './suggest.ts'

/**
 * Runs one `cloudpartner` command line and answers its exit code. Errors become one readable line
 * on stderr, never a stack trace: 1 when the operation failed, 2 when the command line or the
 * configuration is wrong.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io)
  } catch (error) {
    return report(error, io)
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first] = argv
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    if (first === undefined) {
      io.err(`${overview()}\n`)
      return EXIT.usage
    }
    io.out(`${overview()}\n`)
    return EXIT.ok
  }
  // Hidden: what the completion scripts ask (completion/shell-scripts.ts).
  if (first === '__complete') {
    const { printCompletion } = await import('./completion/print-completion.ts')
    return printCompletion(COMMANDS, argv.slice(1), io)
  }
  if (first === '--version' || first === '-v') {
    io.out(`${PACKAGE_VERSION}\n`)
    return EXIT.ok
  }
  const entry = COMMANDS.find((candidate) => candidate.path.every((word, index) => argv[index] === word))
  if (!entry) return unknownCommand(argv, io)
  const args = argv.slice(entry.path.length)
  const command = await entry.load()
  if (wantsHelp(args)) {
    io.out(`${command.help()}\n`)
    return EXIT.ok
  }
  return command.run(args, io)
}

/** A command of that group, by its last word. */
function suggestMember(typed: string, members: readonly CommandEntry[]): string {
  return didYouMeanNamed(
    typed,
    members.map((member) => [member.path.at(-1) as string, commandName(member)]),
  )
}

/**
 * A command or group by its first word, or a command of a group by its last: `grant` (or `grnat`)
 * means `principals grant`, and `publish` means `offers publish` more than `publishers`.
 */
function suggestCommand(typed: string): string {
  const sub = COMMANDS.filter((command) => command.path.length > 1)
  const exact = sub.filter((command) => command.path.at(-1) === typed)
  if (exact.length > 0)
    return didYouMeanNamed(
      typed,
      exact.map((command) => [typed, commandName(command)]),
    )
  return didYouMeanNamed(typed, [
    ...COMMANDS.map((command) => [command.path[0] as string, command.path[0] as string] as const),
    ...sub.map((command) => [command.path.at(-1) as string, commandName(command)] as const),
  ])
}

/** `cloudpartner principals` alone lists that group's commands; anything else unknown is a usage error. */
function unknownCommand(argv: readonly string[], io: CliIo): number {
  const [group, sub] = argv
  const members = COMMANDS.filter((command) => command.path[0] === group && command.path.length > 1)
  if (members.length > 0 && (sub === undefined || sub === '--help' || sub === '-h')) {
    const text = `Usage: cloudpartner ${group} <command>\n\n${listing(members)}\n`
    if (sub === undefined) {
      io.err(text)
      return EXIT.usage
    }
    io.out(text)
    return EXIT.ok
  }
  const what = members.length > 0 ? `${group} ${sub}` : group
  const suggestion =
    members.length > 0 ? suggestMember(sub as string, members) : suggestCommand(group as string)
  throw new UsageError(`unknown command '${what}'${suggestion || '; see cloudpartner --help'}`)
}

function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--')
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h')
}

function report(error: unknown, io: CliIo): number {
  const message = error instanceof Error ? error.message : String(error)
  io.err(`cloudpartner: ${message}\n`)
  if (error instanceof OperationError) for (const detail of error.details) io.err(`  ${detail}\n`)
  return error instanceof UsageError || error instanceof ConfigError ? EXIT.usage : EXIT.failed
}

function listing(commands: readonly CommandEntry[]): string {
  const rows = commands.map((command) => [commandName(command), command.summary])
  const width = Math.max(...rows.map(([left]) => (left ?? '').length))
  return rows.map(([left, right]) => `  ${(left ?? '').padEnd(width)}  ${right}`).join('\n')
}

/** Listed apart in the overview: they do not touch the store. */
const NOT_OVER_THE_STORE = ['offers', 'profiles', 'completion']

function overview(): string {
  return [
    `cloudpartner ${PACKAGE_VERSION}: a self-hostable Cloud Partner Portal API (api-version 2017-10-31)`,
    '',
    'Usage: cloudpartner <command> [options]',
    '',
    'Commands:',
    listing(COMMANDS.filter((command) => !NOT_OVER_THE_STORE.includes(command.path[0] as string))),
    '',
    'Every setting is a flag of `serve` and an environment variable (see cloudpartner serve --help).',
    'The commands above work on the store the server uses: the same --data-dir / CLOUDPARTNER_DATA_DIR,',
    'and they may run while the server runs.',
    '',
    'Offers, through the API of this server or of the real service (--endpoint, credentials: see',
    '`cloudpartner offers list --help`), with the connection settings of a profile if you like:',
    listing(COMMANDS.filter((command) => ['offers', 'profiles'].includes(command.path[0] as string))),
    '',
    'Shell completion (bash, zsh, fish):',
    listing(COMMANDS.filter((command) => command.path[0] === 'completion')),
    '',
    'Options:',
    '  -h, --help      Show help; `cloudpartner <command> --help` for a command.',
    '  -v, --version   Show the version.',
    '',
    'Exit codes: 0 success; 1 the operation failed; 2 usage or configuration error.',
    'The offers commands also: 3 the operation ended failed or canceled (--wait); 4 authentication',
    'failed or no access to the publisher; 5 the service is unreachable or unavailable; 130 Ctrl-C.',
  ].join('\n')
}
