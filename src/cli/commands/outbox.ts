import { STORE_ADMINISTRATOR } from '../../auth/caller.ts'
import { EXIT } from '../cli-errors.ts'
import { printJson } from '../cli-io.ts'
import { DATA_DIR_OPTION, loadStoreConfig, withServices } from '../cli-store.ts'
import type { Command } from '../command.ts'
import { parseCommandLine } from '../parse-command-line.ts'
import { settingsHelp } from '../settings-flags.ts'

const OPTIONS = { ...DATA_DIR_OPTION, json: { type: 'boolean' } } as const

export const outboxCommand: Command = {
  help: () =>
    [
      'Usage: cloudpartner outbox <operation-id> [options]',
      '',
      'Nothing is ever sent: the e-mails the service would have sent about the operation (started,',
      'waiting for review, live, failed, canceled) to the notification-emails given with the request',
      'are kept instead, in order.',
      '',
      'Options:',
      '  --json                          Print them as JSON.',
      ...settingsHelp(['dataDir', 'databaseUrl']),
    ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandLine('outbox', args, OPTIONS, {
      min: 1,
      max: 1,
      names: 'the operation id',
    })
    const config = loadStoreConfig(io, values)
    const messages = await withServices(config, io, (services) =>
      services.operationAdmin.outbox(positionals[0] as string, STORE_ADMINISTRATOR),
    )
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
}
