import { apiCommand } from '../offers/api-command.ts'
import { API_EXIT } from '../offers/exit-codes.ts'
import { printJsonValue } from '../offers/output.ts'

export const offersCancelCommand = apiCommand({
  name: 'cancel',
  usage: '<publisher-id> <offer-id> [options]',
  description: [
    'Cancels the publish running or waiting for go-live (POST …/cancel). What is live stays live.',
    'Nothing to cancel, or a go-live running, is refused (OperationNotCancelable, exit 1).',
  ],
  options: { 'notification-emails': { type: 'string' } },
  optionsHelp: [
    '  --notification-emails <list>    Comma-separated addresses to notify (ignored for migrated offers).',
  ],
  jsonHelp: 'Print {location}: the canceled operation.',
  positionals: { min: 2, max: 2, names: 'the publisher id and the offer id' },
  async run({ io, values, positionals, client, json }) {
    const [publisherId = '', offerId = ''] = positionals
    const emails = values['notification-emails']
    const { location } = await client.offers.cancel(
      publisherId,
      offerId,
      typeof emails === 'string' ? { notificationEmails: emails } : {},
    )
    if (json) printJsonValue(io, { location: location ?? null })
    else io.out(`Canceled the operation of ${publisherId}/${offerId}${location ? `: ${location}` : ''}.\n`)
    return API_EXIT.ok
  },
})
