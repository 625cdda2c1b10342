import { profileNames } from '../api/profiles.ts'
import type { Command, CommandEntry, ValueCompletion } from '../command.ts'

/**
 * What a shell offers at the cursor: words, or its own file or directory names (the shell knows
 * the file system, quoting and `~` better than we do).
 */
export type Completion =
  | { readonly kind: 'words'; readonly words: readonly string[] }
  | { readonly kind: 'file' }
  | { readonly kind: 'directory' }

const NOTHING: Completion = { kind: 'words', words: [] }

/**
 * Completes a `cloudpartner` command line from the same command specs that parse it: `words` are
 * the words after `cloudpartner`, the last being the one under the cursor (possibly empty).
 */
export async function complete(
  commands: readonly CommandEntry[],
  words: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Completion> {
  const current = words.at(-1) ?? ''
  const before = words.slice(0, -1)
  const offer = (candidates: Iterable<string>): Completion => ({
    kind: 'words',
    words: [...new Set(candidates)].filter((word) => word.startsWith(current)),
  })
  if (before.length === 0) {
    return offer([...commands.map(({ path }) => path[0] as string), '--help', '--version'])
  }
  const entry = commands.find(({ path }) => path.every((word, index) => before[index] === word))
  if (entry === undefined) {
    // A group's first word: its commands.
    if (before.length !== 1) return NOTHING
    return offer(
      commands
        .filter(({ path }) => path[0] === before[0] && path.length > 1)
        .map(({ path }) => path[1] as string),
    )
  }
  const command = await entry.load()
  const args = before.slice(entry.path.length)
  const previous = args.at(-1)
  const option = previous?.startsWith('--') ? command.options[previous.slice(2)] : undefined
  if (option?.type === 'string') return valueCompletion(option.complete ?? 'text', offer, env)
  if (current.startsWith('-')) return offer(optionNames(command))
  const place = positionalCount(command, args)
  const places = command.positionals.complete ?? []
  if (place >= command.positionals.max || places.length === 0) return NOTHING
  return valueCompletion(places[Math.min(place, places.length - 1)] ?? 'text', offer, env)
}

function valueCompletion(
  completion: ValueCompletion,
  offer: (candidates: Iterable<string>) => Completion,
  env: NodeJS.ProcessEnv,
): Completion {
  if (completion === 'file') return { kind: 'file' }
  if (completion === 'directory') return { kind: 'directory' }
  if (completion === 'profile') return offer(profileNames(env))
  if (completion === 'text') return NOTHING
  return offer(completion)
}

function optionNames(command: Command): string[] {
  return [...Object.keys(command.options).map((name) => `--${name}`), '--help']
}

/** How many positional arguments come before the cursor: words that are neither flags nor their values. */
function positionalCount(command: Command, args: readonly string[]): number {
  let count = 0
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string
    if (arg === '--') return count + args.length - index - 1
    if (!arg.startsWith('-') || arg === '-') {
      count += 1
      continue
    }
    const option = command.options[arg.slice(2)]
    if (option?.type === 'string' && !arg.includes('=')) index += 1
  }
  return count
}
