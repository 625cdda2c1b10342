import { isDevelopmentPrincipal } from '../../auth/development-credentials.ts'
import { ROLES, type Role } from '../../principals/principal.ts'
import { PUBLISHER_ID_PATTERN } from '../../publishers/publisher.ts'
import { EXIT, UsageError } from '../cli-errors.ts'
import { printJson, printTable } from '../cli-io.ts'
import { DATA_DIR_OPTION, loadStoreConfig, withServices } from '../cli-store.ts'
import type { Command } from '../command.ts'
import { parseCommandLine } from '../parse-command-line.ts'
import { resolvePrincipal } from '../resolve-principal.ts'
import { settingsHelp } from '../settings-flags.ts'

const REFERENCE_HELP = '<client-id> may also be the principal id that `principals list --json` shows.'
const TENANT_HELP =
  '  --tenant <id>                   The tenant, when the client id is registered in several.'

const LIST_OPTIONS = { ...DATA_DIR_OPTION, json: { type: 'boolean' } } as const

export const principalsListCommand: Command = {
  help: () =>
    [
      'Usage: cloudpartner principals list [options]',
      '',
      'Options:',
      '  --json                          Print them as JSON, for scripts.',
      ...settingsHelp(['dataDir', 'databaseUrl']),
    ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandLine('principals list', args, LIST_OPTIONS, { min: 0, max: 0, names: '' })
    const config = loadStoreConfig(io, values)
    const principals = await withServices(config, io, (services) => services.principals.list())
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
}

const DELETE_OPTIONS = { ...DATA_DIR_OPTION, tenant: { type: 'string' } } as const

export const principalsDeleteCommand: Command = {
  help: () =>
    [
      'Usage: cloudpartner principals delete <client-id> [options]',
      '',
      `Deletes the principal and its grants. ${REFERENCE_HELP}`,
      'Deleting the development principal is permanent: it is created only on the first start.',
      '',
      'Options:',
      TENANT_HELP,
      ...settingsHelp(['dataDir', 'databaseUrl']),
    ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandLine('principals delete', args, DELETE_OPTIONS, {
      min: 1,
      max: 1,
      names: 'the client id of the principal',
    })
    const config = loadStoreConfig(io, values)
    const deleted = await withServices(config, io, async (services) => {
      const principal = await resolvePrincipal(services.principals, positionals[0] as string, values.tenant)
      return services.principals.delete(principal.id)
    })
    io.out(
      `Deleted principal "${deleted.displayName}" (client id ${deleted.clientId}, tenant ${deleted.tenantId}).\n`,
    )
    return EXIT.ok
  },
}

const GRANT_OPTIONS = { ...DATA_DIR_OPTION, tenant: { type: 'string' }, role: { type: 'string' } } as const

export const principalsGrantCommand: Command = {
  help: () =>
    [
      'Usage: cloudpartner principals grant <client-id> <publisher> [options]',
      '',
      `Gives the principal a role on the publisher namespace, or changes its role. ${REFERENCE_HELP}`,
      'The publisher need not exist yet. Both roles may read, write and publish offers.',
      '',
      'Options:',
      `  --role <role>                   ${ROLES.join(' or ')}. Default: Owner.`,
      TENANT_HELP,
      ...settingsHelp(['dataDir', 'databaseUrl']),
    ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandLine('principals grant', args, GRANT_OPTIONS, {
      min: 2,
      max: 2,
      names: 'the client id and the publisher id',
    })
    const [reference, publisherId] = positionals as [string, string]
    checkPublisherId('principals grant', publisherId)
    const role = values.role ?? 'Owner'
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new UsageError(`principals grant: --role must be one of ${ROLES.join(', ')}, not '${role}'`)
    }
    const config = loadStoreConfig(io, values)
    const principal = await withServices(config, io, async (services) => {
      const found = await resolvePrincipal(services.principals, reference, values.tenant)
      await services.principals.grant(found.id, { publisherId, role: role as Role })
      return found
    })
    io.out(`Granted ${role} on '${publisherId}' to "${principal.displayName}" (${principal.clientId}).\n`)
    return EXIT.ok
  },
}

const REVOKE_OPTIONS = { ...DATA_DIR_OPTION, tenant: { type: 'string' } } as const

export const principalsRevokeCommand: Command = {
  help: () =>
    [
      'Usage: cloudpartner principals revoke <client-id> <publisher> [options]',
      '',
      `Removes the principal's grant on the publisher. ${REFERENCE_HELP}`,
      '',
      'Options:',
      TENANT_HELP,
      ...settingsHelp(['dataDir', 'databaseUrl']),
    ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandLine('principals revoke', args, REVOKE_OPTIONS, {
      min: 2,
      max: 2,
      names: 'the client id and the publisher id',
    })
    const [reference, publisherId] = positionals as [string, string]
    checkPublisherId('principals revoke', publisherId)
    const config = loadStoreConfig(io, values)
    const principal = await withServices(config, io, async (services) => {
      const found = await resolvePrincipal(services.principals, reference, values.tenant)
      await services.principals.revoke(found.id, publisherId)
      return found
    })
    io.out(`Revoked the grant on '${publisherId}' of "${principal.displayName}" (${principal.clientId}).\n`)
    return EXIT.ok
  },
}

function checkPublisherId(command: string, publisherId: string): void {
  if (!PUBLISHER_ID_PATTERN.test(publisherId)) {
    throw new UsageError(`${command}: '${publisherId}' is not a valid publisher id`)
  }
}
