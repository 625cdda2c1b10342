import { EXIT } from '../cli-errors.ts'
import type { CliIo } from '../cli-io.ts'
import type { CommandEntry } from '../command.ts'
import { complete } from './complete.ts'

/**
 * `cloudpartner __complete <words…>`: one candidate a line, or `:file` / `:directory`. Never an
 * error: a shell shows whatever a completion function prints, so a failure offers nothing.
 */
export async function printCompletion(
  commands: readonly CommandEntry[],
  words: readonly string[],
  io: CliIo,
): Promise<number> {
  try {
    const completion = await complete(commands, words.length === 0 ? [''] : words, io.env)
    if (completion.kind === 'words') {
      for (const word of completion.words) io.out(`${word}\n`)
    } else io.out(`:${completion.kind}\n`)
  } catch {
    // Nothing to offer.
  }
  return EXIT.ok
}
