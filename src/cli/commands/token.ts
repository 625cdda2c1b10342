import { DEVELOPMENT_CREDENTIALS } from '../../auth/development-credentials.ts'
import { EXIT, OperationError } from '../cli-errors.ts'
import { DATA_DIR_OPTION, loadStoreConfig, withServices } from '../cli-store.ts'
import type { Command } from '../command.ts'
import { parseCommandLine } from '../parse-command-line.ts'
import { resolvePrincipal } from '../resolve-principal.ts'
import { settingOptions, settingsHelp } from '../settings-flags.ts'

const OPTIONS = {
  ...DATA_DIR_OPTION,
  ...settingOptions(['production', 'tokenLifetimeSeconds']),
  'client-id': { type: 'string' },
  tenant: { type: 'string' },
} as const

export const tokenCommand: Command = {
  help: () =>
    [
      'Usage: cloudpartner token [options]',
      '',
      "Mints an access token for a principal of the store, signed with the server's keys, and prints",
      'it alone on stdout, for scripts and curl:',
      '  curl -H "Authorization: Bearer $(npx cloudpartner token)" \\',
      '    "http://127.0.0.1:8080/api/publishers?api-version=2017-10-31"',
      "It needs no client secret: it signs with the server's own keys, so it needs what the server needs",
      '(the store and its master key).',
      '',
      'Options:',
      '  --client-id <id>                The principal. Default: the development principal.',
      '  --tenant <id>                   The tenant, when the client id is registered in several.',
      ...settingsHelp(['dataDir', 'production', 'tokenLifetimeSeconds', 'masterKey']),
    ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandLine('token', args, OPTIONS, { min: 0, max: 0, names: '' })
    const config = loadStoreConfig(io, values)
    const clientId = values['client-id'] ?? DEVELOPMENT_CREDENTIALS.clientId
    const tenant = values['client-id'] === undefined ? DEVELOPMENT_CREDENTIALS.tenantId : values.tenant
    const token = await withServices(config, io, async (services) => {
      const principal = await resolvePrincipal(services.principals, clientId, tenant).catch(
        (error: unknown) => {
          if (values['client-id'] !== undefined || !(error instanceof OperationError)) throw error
          throw new OperationError(
            'The development principal does not exist in this store: start the server once in development mode (npm start), or name a principal with --client-id.',
          )
        },
      )
      return (await services.tokens.issueFor(principal)).accessToken
    })
    io.out(`${token}\n`)
    return EXIT.ok
  },
}
