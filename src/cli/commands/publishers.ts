import { STORE_ADMINISTRATOR } from '../../auth/caller.ts'
import { checkPublisherId } from '../../publishers/publisher.ts'
import { toPublisherBody } from '../../publishers/publishers.service.ts'
import { EXIT, UsageError } from '../cli-errors.ts'
import { printJson, printTable } from '../cli-io.ts'
import { storeCommand } from '../store-command.ts'

export const publishersCreateCommand = storeCommand({
  name: 'publishers create',
  usage: '<id> [options]',
  description: [
    'Creates the publisher namespace <id> (lowercase letters, digits, - and _; at most 50).',
    'Grant principals access with `cloudpartner principals grant`.',
  ],
  options: {
    'display-name': { type: 'string' },
    'seller-id': { type: 'string' },
    json: { type: 'boolean' },
  },
  optionsHelp: [
    '  --display-name <text>           Display name. Default: the id.',
    '  --seller-id <n>                 Seller id (a positive integer).',
    '  --json                          Print the publisher as GET /api/publishers shows it.',
  ],
  positionals: { min: 1, max: 1, names: 'the publisher id' },
  async run({ io, values, positionals, services }) {
    const id = positionals[0] as string
    // The rule the service applies, asked before a store is opened (or created) for a bad id.
    checkPublisherId(id)
    const sellerId = parseSellerId(values['seller-id'])
    const displayText = values['display-name']
    const publisher = await (await services()).publishers.create({
      id,
      ...(displayText === undefined ? {} : { displayText }),
      ...(sellerId === undefined ? {} : { sellerId }),
    })
    if (values.json) printJson(io, toPublisherBody(publisher))
    else io.out(`Created publisher '${publisher.id}' (${publisher.displayText}).\n`)
    return EXIT.ok
  },
})

export const publishersListCommand = storeCommand({
  name: 'publishers list',
  usage: '[options]',
  options: { json: { type: 'boolean' } },
  optionsHelp: ['  --json                          Print them as GET /api/publishers shows them.'],
  positionals: { min: 0, max: 0, names: '' },
  async run({ io, values, services }) {
    const publishers = await (await services()).publishers.list(STORE_ADMINISTRATOR)
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
})

/** The flag's text as a number; whether it is a valid seller id is the publishers service's rule. */
function parseSellerId(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`publishers create: --seller-id must be a positive integer, not '${value}'`)
  }
  return Number(value)
}
