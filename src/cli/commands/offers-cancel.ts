import { apiCommand } from '../api/api-command.ts'
import { API_EXIT } from '../api/exit-codes.ts'
import { printJsonValue } from '../api/output.ts'

export const offersCancelCommand = apiCommand({
  name: 'cancel',
  usage: '<publisher-id> <offer-id> [options]',
  description: [
    'Cancels the publish running or waiting for go-live (POST …/cancel). What is live stays live.',
    'Nothing to cancel, or a go-live running, cancels nothing (exit 1): the service answers 202',
    'naming the latest operation, unchanged (or 409 OperationNotCancelable with --strict-cancel).',
  ],
  options: { 'notification-emails': { type: 'string' } },
  optionsHelp: [
    '  --notification-emails <list>    Comma-separated addresses to notify (ignored for migrated offers).',
  ],
  jsonHelp: 'Print {location, canceled}: the operation named, and whether it was canceled.',
  positionals: { min: 2, max: 2, names: 'the publisher id and the offer id' },
  async run({ io, values, positionals, client, json }) {
    const [publisherId = '', offerId = ''] = positionals
    const emails = values['notification-emails']
    const { location, canceled } = await client.offers.cancel(
      publisherId,
      offerId,
      typeof emails === 'string' ? { notificationEmails: emails } : {},
    )
    const offer = `${publisherId}/${offerId}`
    if (json) printJsonValue(io, { location: location ?? null, canceled })
    else if (canceled) io.out(`Canceled the operation of ${offer}${location ? `: ${location}` : ''}.\n`)
    else {
      const latest = location ? ` (its latest operation, unchanged: ${location})` : ''
      io.err(`cloudpartner: nothing of ${offer} could be canceled${latest}.\n`)
    }
    return canceled ? API_EXIT.ok : API_EXIT.failed
  },
})
