import { EXIT } from '../cli-errors.ts'
import { printJson, printTable } from '../cli-io.ts'
import { storeCommand } from '../store-command.ts'

export const keysRotateCommand = storeCommand({
  name: 'keys rotate',
  usage: '[options]',
  description: [
    'Creates a new signing key and makes it the one new tokens are signed with. Earlier keys stay',
    'published (JWKS) and keep verifying until every token they signed has expired. A running',
    'server picks the new key up within a minute, or at once when it meets a token signed with it.',
  ],
  options: { json: { type: 'boolean' } },
  optionsHelp: ['  --json                          Print the new key id as JSON.'],
  settings: ['dataDir', 'databaseUrl', 'masterKey'],
  positionals: { min: 0, max: 0, names: '' },
  async run({ io, values, services }) {
    const kid = await (await services()).keyring.rotate()
    if (values.json) printJson(io, { kid })
    else io.out(`New signing key ${kid} is active.\n`)
    return EXIT.ok
  },
})

export const keysListCommand = storeCommand({
  name: 'keys list',
  usage: '[options]',
  options: { json: { type: 'boolean' } },
  optionsHelp: ['  --json                          Print them as JSON.'],
  positionals: { min: 0, max: 0, names: '' },
  async run({ io, values, services }) {
    const keys = await (await services()).keyring.list()
    if (values.json) printJson(io, keys)
    else
      printTable(
        io,
        ['KEY ID', 'CREATED', 'STATE'],
        keys.map((key) => [
          key.kid,
          key.createdTime,
          key.retiredTime ? `retired ${key.retiredTime}` : 'active',
        ]),
      )
    return EXIT.ok
  },
})
