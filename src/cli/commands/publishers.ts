import { STORE_ADMINISTRATOR } from '../../auth/caller.ts'
import { PUBLISHER_ID_PATTERN } from '../../publishers/publisher.ts'
import { toPublisherBody } from '../../publishers/publishers.service.ts'
import { EXIT, UsageError } from '../cli-errors.ts'
import { printJson, printTable } from '../cli-io.ts'
import { DATA_DIR_OPTION, loadStoreConfig, withServices } from '../cli-store.ts'
import type { Command } from '../command.ts'
import { parseCommandLine } from '../parse-command-line.ts'
import { settingsHelp } from '../settings-flags.ts'

const CREATE_OPTIONS = {
  ...DATA_DIR_OPTION,
  'display-name': { type: 'string' },
  'seller-id': { type: 'string' },
  json: { type: 'boolean' },
} as const

export const publishersCreateCommand: Command = {
  help: () =>
    [
      'Usage: cloudpartner publishers create <id> [options]',
      '',
      'Creates the publisher namespace <id> (lowercase letters, digits, - and _; at most 50).',
      'Grant principals access with `cloudpartner principals grant`.',
      '',
      'Options:',
      '  --display-name <text>           Display name. Default: the id.',
      '  --seller-id <n>                 Seller id (a positive integer).',
      '  --json                          Print the publisher as GET /api/publishers shows it.',
      ...settingsHelp(['dataDir', 'databaseUrl']),
    ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandLine('publishers create', args, CREATE_OPTIONS, {
      min: 1,
      max: 1,
      names: 'the publisher id',
    })
    const id = positionals[0] as string
    if (!PUBLISHER_ID_PATTERN.test(id)) {
      throw new UsageError(
        `publishers create: '${id}' is not a valid publisher id (lowercase letters, digits, - and _; at most 50; starting with a letter or digit)`,
      )
    }
    const sellerId = parseSellerId(values['seller-id'])
    const config = loadStoreConfig(io, values)
    const publisher = await withServices(config, io, (services) =>
      services.publishers.create({
        id,
        ...(values['display-name'] === undefined ? {} : { displayText: values['display-name'] }),
        ...(sellerId === undefined ? {} : { sellerId }),
      }),
    )
    if (values.json) printJson(io, toPublisherBody(publisher))
    else io.out(`Created publisher '${id}' (${publisher.displayText}).\n`)
    return EXIT.ok
  },
}

const LIST_OPTIONS = { ...DATA_DIR_OPTION, json: { type: 'boolean' } } as const

export const publishersListCommand: Command = {
  help: () =>
    [
      'Usage: cloudpartner publishers list [options]',
      '',
      'Options:',
      '  --json                          Print them as GET /api/publishers shows them.',
      ...settingsHelp(['dataDir', 'databaseUrl']),
    ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandLine('publishers list', args, LIST_OPTIONS, { min: 0, max: 0, names: '' })
    const config = loadStoreConfig(io, values)
    const publishers = await withServices(config, io, (services) =>
      services.publishers.list(STORE_ADMINISTRATOR),
    )
    if (values.json) {
      printJson(io, publishers.map(toPublisherBody))
    } else if (publishers.length === 0) {
      io.out('No publishers. Create one with `cloudpartner publishers create <id>`.\n')
    } else {
      printTable(
        io,
        ['ID', 'DISPLAY NAME', 'SELLER ID'],
        publishers.map((publisher) => [
          publisher.id,
          publisher.displayText,
          String(publisher.sellerId ?? ''),
        ]),
      )
    }
    return EXIT.ok
  },
}

function parseSellerId(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const sellerId = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(sellerId) || sellerId < 1) {
    throw new UsageError(`publishers create: --seller-id must be a positive integer, not '${value}'`)
  }
  return sellerId
}
