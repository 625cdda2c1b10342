import { currentChangeContext, withChangeContext } from '../../audit/change-context.ts'
import type { Offer } from '../../offers/offer.ts'
import { toImportedOffer } from '../../offers/offer-document.ts'
import { formatTimestamp } from '../../timestamps.ts'
import { EXIT, OperationError } from '../cli-errors.ts'
import { printJson } from '../cli-io.ts'
import { readOfferFiles } from '../import/read-offer-files.ts'
import { storeCommand } from '../store-command.ts'

export const importCommand = storeCommand({
  name: 'import',
  usage: '<file-or-dir>... [options]',
  description: [
    'Loads offers from JSON documents shaped like the answer of',
    'GET /api/publishers/{publisherId}/offers/{offerId}: a file holds one offer or an array of',
    'them; a directory means every *.json file directly in it. status, version and changedTime are',
    'kept when given (default: neverPublished, 1, now). An offer that exists is replaced.',
    'Publishers that do not exist are created.',
    '',
    'Every document is checked before anything is written, and everything is written in one',
    'transaction: on any problem, nothing is imported.',
  ],
  options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
  optionsHelp: [
    '  --dry-run                       Check the files and say what would happen; write nothing.',
    '  --json                          Print the outcome as JSON.',
  ],
  positionals: {
    min: 1,
    max: Number.POSITIVE_INFINITY,
    names: 'the file or directory to import',
    complete: ['file'],
  },
  async run({ io, values, positionals, services }) {
    const dryRun = values['dry-run'] === true
    const { offers, files } = await readAndCheck(positionals, formatTimestamp(new Date()))
    const { offerImport } = await services()
    // The CLI's user, through the import door (its records say what the import restored).
    const outcome = await withChangeContext({ ...currentChangeContext(), door: 'import' }, () =>
      offerImport.importOffers(offers, { dryRun }),
    )
    if (values.json) {
      printJson(io, { dryRun, files, ...outcome })
      return EXIT.ok
    }
    const created = outcome.publishersCreated
    io.out(
      `${dryRun ? 'Would import' : 'Imported'} ${outcome.offers} offer(s) from ${files} file(s): ` +
        `${outcome.offers - outcome.replaced} new, ${outcome.replaced} replaced` +
        `${created.length > 0 ? `; new publisher(s): ${created.join(', ')}` : ''}.\n`,
    )
    return EXIT.ok
  },
})

/** Reads and checks every input; any problem anywhere stops the import before the store is opened. */
async function readAndCheck(
  paths: readonly string[],
  now: string,
): Promise<{ offers: Offer[]; files: number }> {
  const { inputs, files } = await readOfferFiles(paths)
  const offers: Offer[] = []
  const problems: string[] = []
  const sources = new Map<string, string>()
  for (const input of inputs) {
    if ('problem' in input) {
      problems.push(`${input.source}: ${input.problem}`)
      continue
    }
    const checked = toImportedOffer(input.value, now)
    if ('problems' in checked) {
      for (const problem of checked.problems) problems.push(`${input.source}: ${problem}`)
      continue
    }
    const key = `${checked.offer.publisherId}/${checked.offer.id}`
    const first = sources.get(key)
    if (first !== undefined) problems.push(`${input.source}: offer ${key} is also defined by ${first}`)
    sources.set(key, first ?? input.source)
    offers.push(checked.offer)
  }
  if (problems.length > 0) {
    throw new OperationError(`Nothing imported: ${problems.length} problem(s) in the input.`, problems)
  }
  return { offers, files }
}
