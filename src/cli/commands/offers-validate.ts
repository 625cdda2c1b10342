import { type OfferProblem, validateOffer } from '../../sdk/index.ts'
import { API_EXIT } from '../api/exit-codes.ts'
import { printJsonValue } from '../api/output.ts'
import { readDocument } from '../api/read-document.ts'
import { createStyle } from '../api/style.ts'
import { localCommand } from '../local-command.ts'

const KIND_TEXT: Record<OfferProblem['kind'], string> = {
  invalid: 'refused by PUT',
  unpublishable: 'refused by publish',
  blocker: 'blocks certification',
}

export const offersValidateCommand = localCommand({
  name: 'offers validate',
  usage: '<file|-> [options]',
  description: [
    'Checks an offer document without a server, with the validation the server runs: the per-type',
    'checks of PUT (key types, URLs, ids, enums, versions, read-only keys, …) and, unless',
    '--draft-only, those of publish (required marketing keys, plans, images or packages). Prints',
    'every problem with its field path. Exit code 0 when valid, 1 when not.',
  ],
  options: {
    'draft-only': { type: 'boolean' },
    'offer-type': { type: 'string' },
    json: { type: 'boolean' },
  },
  optionsHelp: [
    '  --draft-only                    Only what PUT checks: a draft may be incomplete.',
    "  --offer-type <offer-type-id>    The stored offer's type, for a document that leaves it out.",
    '  --json                          Print {valid, problems: [{kind, field, path, message}]}.',
  ],
  settings: [],
  epilogue: ['Exit codes: 0 valid; 1 invalid (or the file cannot be read); 2 usage error.'],
  positionals: { min: 1, max: 1, names: 'the offer file', complete: ['file'] },
  async run({ io, values, positionals }) {
    const file = positionals[0] as string
    const document = await readDocument(file)
    const { valid, problems } = validateOffer(document, {
      ...(values['draft-only'] === true ? { draftOnly: true } : {}),
      ...(values['offer-type'] === undefined ? {} : { offerTypeId: values['offer-type'] }),
    })
    if (values.json === true) {
      printJsonValue(io, { valid, problems })
      return valid ? API_EXIT.ok : API_EXIT.failed
    }
    const style = createStyle(io.terminal?.colourStreams?.stdout)
    if (valid) {
      io.out(
        `${style.green('✔')} ${file}: valid${values['draft-only'] === true ? ' as a draft' : ', and publishable'}.\n`,
      )
      return API_EXIT.ok
    }
    io.out(`${style.red('✖')} ${file}: ${problems.length} problem(s)\n`)
    for (const problem of problems) {
      io.out(
        `  ${style.bold(problem.field)}: ${problem.message} ${style.dim(`(${KIND_TEXT[problem.kind]})`)}\n`,
      )
    }
    return API_EXIT.failed
  },
})
