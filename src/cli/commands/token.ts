import { DEVELOPMENT_CREDENTIALS } from '../../auth/development-credentials.ts'
import { EXIT, OperationError } from '../cli-errors.ts'
import { printJson } from '../cli-io.ts'
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
  options: {
    'client-id': { type: 'string', complete: 'text' },
    tenant: { type: 'string', complete: 'text' },
    json: { type: 'boolean' },
  },
  optionsHelp: [
    '  --client-id <id>                The principal. Default: the development principal.',
    '  --tenant <id>                   The tenant, when the client id is registered in several.',
    '  --json                          Print {accessToken, tokenType, expiresIn, expiresOn, notBefore,',
    '                                  audience, tenantId, clientId}; the times in seconds since 1970.',
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
    const issued = await tokens.issueFor(principal)
    if (!values.json) {
      io.out(`${issued.accessToken}\n`)
      return EXIT.ok
    }
    printJson(io, {
      accessToken: issued.accessToken,
      tokenType: 'Bearer',
      expiresIn: issued.expiresIn,
      expiresOn: issued.expiresOn,
      notBefore: issued.notBefore,
      audience: issued.audience,
      tenantId: principal.tenantId,
      clientId: principal.clientId,
    })
    return EXIT.ok
  },
})
