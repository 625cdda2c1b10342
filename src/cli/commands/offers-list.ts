import { OFFER_STATUSES, type OfferStatus } from '../../sdk/index.ts'
import { apiCommand } from '../api/api-command.ts'
import { API_EXIT } from '../api/exit-codes.ts'
import { printJsonValue, printOfferSummaries } from '../api/output.ts'
import { UsageError } from '../cli-errors.ts'

const STATUSES: readonly string[] = OFFER_STATUSES

export const offersListCommand = apiCommand({
  name: 'list',
  usage: '<publisher-id> [options]',
  description: ['Lists the offers of a publisher namespace (GET …/offers), ordered by id.'],
  options: {
    type: { type: 'string' },
    status: { type: 'string', complete: STATUSES },
    filter: { type: 'string' },
  },
  optionsHelp: [
    '  --type <offer-type-id>          Only offers of this type, e.g. microsoft-azure-virtualmachines.',
    `  --status <status>               Only offers in this status: ${STATUSES.join(', ')}.`,
    '  --filter <odata>                A raw $filter, e.g. "offerTypeId eq \'microsoft-azure-corevm\'".',
  ],
  jsonHelp: 'Print the list as the API answers it.',
  positionals: { min: 1, max: 1, names: 'the publisher id' },
  async run({ io, values, positionals, client, json, style }) {
    const status = values.status
    if (typeof status === 'string' && !STATUSES.includes(status)) {
      throw new UsageError(`offers list: --status must be one of ${STATUSES.join(', ')}, not '${status}'`)
    }
    const publisherId = positionals[0] as string
    const offers = await client.offers.list(publisherId, {
      ...(typeof values.type === 'string' ? { offerTypeId: values.type } : {}),
      ...(typeof status === 'string' ? { status: status as OfferStatus } : {}),
      ...(typeof values.filter === 'string' ? { filter: values.filter } : {}),
    })
    if (json) printJsonValue(io, offers)
    else if (offers.length === 0) io.out(`No offers in ${publisherId}.\n`)
    else printOfferSummaries(io, style, offers)
    return API_EXIT.ok
  },
})
