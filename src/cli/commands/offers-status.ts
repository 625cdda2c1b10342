import { apiCommand } from '../api/api-command.ts'
import { API_EXIT } from '../api/exit-codes.ts'
import { printJsonValue, printPublishingStatus } from '../api/output.ts'

export const offersStatusCommand = apiCommand({
  name: 'status',
  usage: '<publisher-id> <offer-id> [options]',
  description: [
    'Shows the status of an offer with the steps of its latest operation (GET …/status): each step,',
    'its status, its progress and its estimate, and the error messages of a failed one.',
  ],
  options: {},
  optionsHelp: [],
  jsonHelp: 'Print the status as the API answers it.',
  positionals: { min: 2, max: 2, names: 'the publisher id and the offer id' },
  async run({ io, positionals, client, json, style }) {
    const [publisherId = '', offerId = ''] = positionals
    const status = await client.offers.status(publisherId, offerId)
    if (json) printJsonValue(io, status)
    else printPublishingStatus(io, style, `${publisherId}/${offerId}`, status)
    return API_EXIT.ok
  },
})
