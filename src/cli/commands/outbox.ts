import { STORE_ADMINISTRATOR } from '../../auth/caller.ts'
import { EXIT } from '../cli-errors.ts'
import { printJson } from '../cli-io.ts'
import { storeCommand } from '../store-command.ts'

export const outboxCommand = storeCommand({
  name: 'outbox',
  usage: '<operation-id> [options]',
  description: [
    'Nothing is ever sent: the e-mails the service would have sent about the operation (started,',
    'waiting for review, live, failed, canceled) to the notification-emails given with the request',
    'are kept instead, in order.',
  ],
  options: { json: { type: 'boolean' } },
  optionsHelp: ['  --json                          Print them as JSON.'],
  positionals: { min: 1, max: 1, names: 'the operation id' },
  async run({ io, values, positionals, services }) {
    const admin = (await services()).operationAdmin
    const messages = await admin.outbox(positionals[0] as string, STORE_ADMINISTRATOR)
    if (values.json) printJson(io, messages)
    else if (messages.length === 0) io.out('No notifications (no notification-emails were given).\n')
    else
      for (const message of messages) {
        io.out(
          `#${message.sequence} ${message.createdTime} ${message.event}\nTo: ${message.to.join(', ') || '(seller contact)'}\nSubject: ${message.subject}\n\n${message.body}\n\n`,
        )
      }
    return EXIT.ok
  },
})
