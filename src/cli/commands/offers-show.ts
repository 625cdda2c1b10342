import type { OfferWithETag, SlotName } from '../../sdk/index.ts'
import { type ApiContext, apiCommand } from '../api/api-command.ts'
import { API_EXIT } from '../api/exit-codes.ts'
import { printJsonValue, printOffer } from '../api/output.ts'
import { UsageError } from '../cli-errors.ts'

const SHOW_OPTIONS = { etag: { type: 'boolean' } } as const
const SHOW_HELP = ['  --etag                          Print only the ETag, for `offers put --if-match`.']
const JSON_HELP = 'Print the offer as the API answers it (ready to edit and put back).'

function print(context: ApiContext, answer: OfferWithETag): number {
  if (context.values.etag === true) context.io.out(`${answer.etag ?? ''}\n`)
  else if (context.json) printJsonValue(context.io, answer.offer)
  else printOffer(context.io, context.style, answer)
  return API_EXIT.ok
}

export const offersShowCommand = apiCommand({
  name: 'show',
  usage: '<publisher-id> <offer-id> [options]',
  description: [
    'Shows the draft of an offer (GET …/offers/{offerId}) with its ETag: send the ETag back with',
    '`offers put --if-match` to replace only this version. Secret-typed values are never returned.',
  ],
  options: SHOW_OPTIONS,
  optionsHelp: SHOW_HELP,
  jsonHelp: JSON_HELP,
  positionals: { min: 2, max: 2, names: 'the publisher id and the offer id' },
  async run(context) {
    const [publisherId = '', offerId = ''] = context.positionals
    return print(context, await context.client.offers.get(publisherId, offerId))
  },
})

export const offersGetVersionCommand = apiCommand({
  name: 'get-version',
  usage: '<publisher-id> <offer-id> <version> [options]',
  description: [
    'Shows a published version of an offer as it was published, or the draft when <version> is the',
    "draft's (GET …/versions/{version}).",
  ],
  options: SHOW_OPTIONS,
  optionsHelp: SHOW_HELP,
  jsonHelp: JSON_HELP,
  positionals: { min: 3, max: 3, names: 'the publisher id, the offer id and the version' },
  async run(context) {
    const [publisherId = '', offerId = '', version = ''] = context.positionals
    if (!/^\d+$/.test(version)) {
      throw new UsageError(`offers get-version: the version must be a whole number, not '${version}'`)
    }
    return print(context, await context.client.offers.getVersion(publisherId, offerId, Number(version)))
  },
})

const SLOTS: readonly SlotName[] = ['draft', 'preview', 'production']

export const offersGetSlotCommand = apiCommand({
  name: 'get-slot',
  usage: '<publisher-id> <offer-id> <slot> [options]',
  description: [
    'Shows the offer in a slot (GET …/slot/{slotId}): draft, preview (the version waiting for go-live',
    'or last previewed) or production (the live version). A slot never reached is not found (exit 1).',
  ],
  options: SHOW_OPTIONS,
  optionsHelp: SHOW_HELP,
  jsonHelp: JSON_HELP,
  positionals: {
    min: 3,
    max: 3,
    names: 'the publisher id, the offer id and the slot',
    complete: ['text', 'text', ['draft', 'preview', 'production']],
  },
  async run(context) {
    const [publisherId = '', offerId = '', slot = ''] = context.positionals
    const name = slot.toLowerCase() as SlotName
    if (!SLOTS.includes(name)) {
      throw new UsageError(`offers get-slot: the slot must be one of ${SLOTS.join(', ')}, not '${slot}'`)
    }
    return print(context, await context.client.offers.getSlot(publisherId, offerId, name))
  },
})
