import { CLOUD_PARTNER_RESOURCE, stsIssuer } from '../../auth/cloud-partner.ts'
import { ROLES, type Role } from '../../principals/principal.ts'
import { PUBLISHER_ID_PATTERN } from '../../publishers/publisher.ts'
import { EXIT, UsageError } from '../cli-errors.ts'
import { type CliIo, printJson } from '../cli-io.ts'
import { DATA_DIR_OPTION, loadStoreConfig, withServices } from '../cli-store.ts'
import type { Command } from '../command.ts'
import { parseCommandLine } from '../parse-command-line.ts'
import { settingsHelp } from '../settings-flags.ts'

const OPTIONS = {
  ...DATA_DIR_OPTION,
  tenant: { type: 'string' },
  'display-name': { type: 'string' },
  'client-id': { type: 'string' },
  'object-id': { type: 'string' },
  secret: { type: 'boolean', default: true },
  grant: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const

export const principalsCreateCommand: Command = {
  help: () =>
    [
      'Usage: cloudpartner principals create [options]',
      '',
      'Registers an application that may call the API, like an Azure AD app registration. Its client',
      'secret is printed once, now: only a hash of it is stored.',
      '',
      'Options:',
      '  --tenant <id>                   Its tenant (directory) id. Default: a new tenant.',
      '  --display-name <text>           Display name. Default: "cloudpartner principal".',
      '  --client-id <id>                Its client (application) id. Default: a new GUID.',
      '  --object-id <id>                Its service principal object id. Default: a new GUID.',
      '  --no-secret                     No secret: a principal of an external Azure AD tenant, which',
      '                                  gets its tokens there (see --external-issuers of serve).',
      '  --grant <publisher>[:Role]      Give it a role on a publisher (Owner, the default, or',
      '                                  Contributor). Repeat for several publishers.',
      '  --json                          Print the result as JSON, for scripts.',
      ...settingsHelp(['dataDir', 'databaseUrl']),
    ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandLine('principals create', args, OPTIONS, { min: 0, max: 0, names: '' })
    const grants = (values.grant ?? []).map(parseGrant)
    const tenantId = guidOption('--tenant', values.tenant)
    const clientId = guidOption('--client-id', values['client-id'])
    const objectId = guidOption('--object-id', values['object-id'])
    const config = loadStoreConfig(io, values)
    const created = await withServices(config, io, (services) =>
      services.principals.create({
        displayName: values['display-name'] ?? 'cloudpartner principal',
        withSecret: values.secret,
        ...(tenantId === undefined ? {} : { tenantId }),
        ...(clientId === undefined ? {} : { clientId }),
        ...(objectId === undefined ? {} : { objectId }),
        grants,
      }),
    )
    const { principal, secret } = created
    if (values.json) {
      printJson(io, {
        id: principal.id,
        tenantId: principal.tenantId,
        clientId: principal.clientId,
        objectId: principal.objectId,
        displayName: principal.displayName,
        ...(secret === undefined ? {} : { clientSecret: secret }),
        grants,
      })
      return EXIT.ok
    }
    printCreated(io, { ...principal, secret, grants, url: `http://${config.host}:${config.port}` })
    return EXIT.ok
  },
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Azure AD's ids are GUIDs, written lowercase in tokens (`tid`, `appid`, `oid`) that must match them. */
function guidOption(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!GUID.test(value)) throw new UsageError(`principals create: ${flag} must be a GUID, not '${value}'`)
  return value.toLowerCase()
}

function parseGrant(value: string): { publisherId: string; role: Role } {
  const [publisherId = '', role = 'Owner', ...rest] = value.split(':')
  if (!PUBLISHER_ID_PATTERN.test(publisherId) || rest.length > 0) {
    throw new UsageError(`principals create: --grant '${value}' is not <publisher>[:Role]`)
  }
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new UsageError(`principals create: --grant '${value}': the role must be one of ${ROLES.join(', ')}`)
  }
  return { publisherId, role: role as Role }
}

function printCreated(
  io: CliIo,
  created: {
    displayName: string
    tenantId: string
    clientId: string
    objectId: string
    secret: string | undefined
    grants: readonly { publisherId: string; role: Role }[]
    url: string
  },
): void {
  const grants = created.grants.map((grant) => `${grant.publisherId} (${grant.role})`).join(', ')
  io.out(
    [
      `Created principal "${created.displayName}".`,
      `  tenant id:      ${created.tenantId}`,
      `  client id:      ${created.clientId}`,
      ...(created.secret === undefined
        ? [
            '  client secret:  none: it gets its tokens from its own tenant,',
            `                  issuer ${stsIssuer(created.tenantId)}`,
          ]
        : [`  client secret:  ${created.secret}`]),
      `  object id:      ${created.objectId}`,
      `  grants:         ${grants || 'none yet (cloudpartner principals grant <client-id> <publisher>)'}`,
      '',
    ].join('\n'),
  )
  if (created.secret === undefined) return
  io.out(
    [
      'The secret is shown only now; store it safely. Get a token with it:',
      `  curl -s -X POST ${created.url}/${created.tenantId}/oauth2/token \\`,
      `    -d grant_type=client_credentials -d client_id=${created.clientId} \\`,
      `    --data-urlencode client_secret='${created.secret}' -d resource=${CLOUD_PARTNER_RESOURCE}`,
      '',
    ].join('\n'),
  )
}
