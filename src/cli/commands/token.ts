import { DEVELOPMENT_CREDENTIALS } from '../../auth/development-credentials.ts'
import { EXIT, OperationError } from '../cli-errors.ts'
import { resolvePrincipal } from '../resolve-principal.ts'
import { storeCommand } from '../store-command.ts'

export const tokenCommand = storeCommand({
  name: 'token',
  usage: '[options]',
  description: [
    "Mints an access token for a principal of the store, signed with the server's keys, and prints",
    'it alone on stdout, for scripts and curl:',
    '  curl -H "Authorization: Bearer $(npx cloudpartner token)" \\',
    '    "http://127.0.0.1:8080/api/publishers?api-version=2017-10-31"',
    "It needs no client secret: it signs with the server's own keys, so it needs what the server needs",
    '(the store and its master key).',
  ],
  options: { 'client-id': { type: 'string' }, tenant: { type: 'string' } },
  optionsHelp: [
    '  --client-id <id>                The principal. Default: the development principal.',
    '  --tenant <id>                   The tenant, when the client id is registered in several.',
  ],
  settings: ['dataDir', 'databaseUrl', 'production', 'tokenLifetimeSeconds', 'masterKey'],
  positionals: { min: 0, max: 0, names: '' },
  async run({ io, values, services }) {
    const clientId = values['client-id'] ?? DEVELOPMENT_CREDENTIALS.clientId
    const tenant = values['client-id'] === undefined ? DEVELOPMENT_CREDENTIALS.tenantId : values.tenant
    const { principals, tokens } = await services()
    const principal = await resolvePrincipal(principals, clientId, tenant).catch((error: unknown) => {
      if (values['client-id'] !== undefined || !(error instanceof OperationError)) throw error
      throw new OperationError(
        'The development principal does not exist in this store: start the server once in development mode (npm start), or name a principal with --client-id.',
      )
    })
    // Refused as at the token endpoint: the development principal in production mode, one without a secret.
    io.out(`${(await tokens.issueFor(principal)).accessToken}\n`)
    return EXIT.ok
  },
})
