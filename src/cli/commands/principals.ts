import { isDevelopmentPrincipal } from '../../auth/development-credentials.ts'
import { checkRole, ROLES } from '../../principals/principal.ts'
import { checkPublisherId } from '../../publishers/publisher.ts'
import { EXIT } from '../cli-errors.ts'
import { printJson, printTable } from '../cli-io.ts'
import { resolvePrincipal } from '../resolve-principal.ts'
import { storeCommand } from '../store-command.ts'

const REFERENCE_HELP = '<client-id> may also be the principal id that `principals list --json` shows.'
const TENANT_HELP =
  '  --tenant <id>                   The tenant, when the client id is registered in several.'

export const principalsListCommand = storeCommand({
  name: 'principals list',
  usage: '[options]',
  options: { json: { type: 'boolean' } },
  optionsHelp: ['  --json                          Print them as JSON, for scripts.'],
  positionals: { min: 0, max: 0, names: '' },
  async run({ io, values, services }) {
    const principals = await (await services()).principals.list()
    if (values.json) {
      printJson(io, principals)
    } else if (principals.length === 0) {
      io.out('No principals. Register one with `cloudpartner principals create`.\n')
    } else {
      printTable(
        io,
        ['CLIENT ID', 'TENANT ID', 'DISPLAY NAME', 'SECRET', 'GRANTS'],
        principals.map((principal) => [
          principal.clientId,
          principal.tenantId,
          `${principal.displayName}${isDevelopmentPrincipal(principal.tenantId, principal.clientId) ? ' (development)' : ''}`,
          principal.hasSecret ? 'yes' : 'no',
          principal.grants.map((grant) => `${grant.publisherId}:${grant.role}`).join(', '),
        ]),
      )
    }
    return EXIT.ok
  },
})

export const principalsDeleteCommand = storeCommand({
  name: 'principals delete',
  usage: '<client-id> [options]',
  description: [
    `Deletes the principal and its grants. ${REFERENCE_HELP}`,
    'Deleting the development principal is permanent: it is created only on the first start.',
  ],
  options: { tenant: { type: 'string' } },
  optionsHelp: [TENANT_HELP],
  positionals: { min: 1, max: 1, names: 'the client id of the principal' },
  async run({ io, values, positionals, services }) {
    const { principals } = await services()
    const principal = await resolvePrincipal(principals, positionals[0] as string, values.tenant)
    const deleted = await principals.delete(principal.id)
    io.out(
      `Deleted principal "${deleted.displayName}" (client id ${deleted.clientId}, tenant ${deleted.tenantId}).\n`,
    )
    return EXIT.ok
  },
})

export const principalsGrantCommand = storeCommand({
  name: 'principals grant',
  usage: '<client-id> <publisher> [options]',
  description: [
    `Gives the principal a role on the publisher namespace, or changes its role. ${REFERENCE_HELP}`,
    'The publisher must exist (`cloudpartner publishers create`). Both roles may read, write and',
    'publish offers.',
  ],
  options: { tenant: { type: 'string' }, role: { type: 'string' } },
  optionsHelp: [`  --role <role>                   ${ROLES.join(' or ')}. Default: Owner.`, TENANT_HELP],
  positionals: { min: 2, max: 2, names: 'the client id and the publisher id' },
  async run({ io, values, positionals, services }) {
    const [reference, publisherId] = positionals as [string, string]
    // The service's rules, asked before the store is opened: a usage error touches no store.
    checkPublisherId(publisherId)
    const role = checkRole(values.role ?? 'Owner')
    const { principals } = await services()
    const principal = await resolvePrincipal(principals, reference, values.tenant)
    await principals.grant(principal.id, { publisherId, role })
    io.out(`Granted ${role} on '${publisherId}' to "${principal.displayName}" (${principal.clientId}).\n`)
    return EXIT.ok
  },
})

export const principalsRevokeCommand = storeCommand({
  name: 'principals revoke',
  usage: '<client-id> <publisher> [options]',
  description: [`Removes the principal's grant on the publisher. ${REFERENCE_HELP}`],
  options: { tenant: { type: 'string' } },
  optionsHelp: [TENANT_HELP],
  positionals: { min: 2, max: 2, names: 'the client id and the publisher id' },
  async run({ io, values, positionals, services }) {
    const [reference, publisherId] = positionals as [string, string]
    checkPublisherId(publisherId)
    const { principals } = await services()
    const principal = await resolvePrincipal(principals, reference, values.tenant)
    await principals.revoke(principal.id, publisherId)
    io.out(`Revoked the grant on '${publisherId}' of "${principal.displayName}" (${principal.clientId}).\n`)
    return EXIT.ok
  },
})

export const principalsRotateSecretCommand = storeCommand({
  name: 'principals rotate-secret',
  usage: '<client-id> [options]',
  description: [
    `Gives the principal a new client secret and prints it once; the old one stops working at once.`,
    `Tokens issued with it stay valid until they expire, as with Azure AD. ${REFERENCE_HELP}`,
  ],
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  optionsHelp: [
    TENANT_HELP,
    '  --json                          Print the tenant, client id and new secret as JSON.',
  ],
  positionals: { min: 1, max: 1, names: 'the client id of the principal' },
  async run({ io, values, positionals, services }) {
    const { principals } = await services()
    const found = await resolvePrincipal(principals, positionals[0] as string, values.tenant)
    const { principal, secret } = await principals.rotateSecret(found.id)
    if (values.json) {
      const { tenantId, clientId } = principal
      printJson(io, { tenantId, clientId, clientSecret: secret })
      return EXIT.ok
    }
    io.out(
      [
        `New secret of "${principal.displayName}" (client id ${principal.clientId}, tenant ${principal.tenantId}):`,
        `  client secret:  ${secret}`,
        'It is shown only now; store it safely. The previous secret no longer works.',
        '',
      ].join('\n'),
    )
    return EXIT.ok
  },
})
