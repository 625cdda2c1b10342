import { EXIT } from '../cli-errors.ts'
import { printJson, printTable } from '../cli-io.ts'
import { DATA_DIR_OPTION, loadStoreConfig, withServices } from '../cli-store.ts'
import type { Command } from '../command.ts'
import { parseCommandLine } from '../parse-command-line.ts'
import { settingsHelp } from '../settings-flags.ts'

const ROTATE_OPTIONS = { ...DATA_DIR_OPTION, json: { type: 'boolean' } } as const

export const keysRotateCommand: Command = {
  help: () =>
    [
      'Usage: cloudpartner keys rotate [options]',
      '',
      'Creates a new signing key and makes it the one new tokens are signed with. Earlier keys stay',
      'published (JWKS) and keep verifying until every token they signed has expired. A running',
      'server picks the new key up within a minute, or at once when it meets a token signed with it.',
      '',
      'Options:',
      '  --json                          Print the new key id as JSON.',
      ...settingsHelp(['dataDir', 'databaseUrl', 'masterKey']),
    ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandLine('keys rotate', args, ROTATE_OPTIONS, { min: 0, max: 0, names: '' })
    const config = loadStoreConfig(io, values)
    const kid = await withServices(config, io, (services) => services.keyring.rotate())
    if (values.json) printJson(io, { kid })
    else io.out(`New signing key ${kid} is active.\n`)
    return EXIT.ok
  },
}

const LIST_OPTIONS = { ...DATA_DIR_OPTION, json: { type: 'boolean' } } as const

export const keysListCommand: Command = {
  help: () =>
    [
      'Usage: cloudpartner keys list [options]',
      '',
      'Options:',
      '  --json                          Print them as JSON.',
      ...settingsHelp(['dataDir', 'databaseUrl']),
    ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandLine('keys list', args, LIST_OPTIONS, { min: 0, max: 0, names: '' })
    const config = loadStoreConfig(io, values)
    const keys = await withServices(config, io, (services) => services.keyring.list())
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
}
