import { CLOUD_PARTNER_RESOURCE, stsIssuer } from '../../auth/cloud-partner.ts'
import { azureAdId, checkRole, type Role } from '../../principals/principal.ts'
import type { GrantRequest } from '../../principals/principals.service.ts'
import { checkPublisherId } from '../../publishers/publisher.ts'
import { EXIT, UsageError } from '../cli-errors.ts'
import { type CliIo, printJson } from '../cli-io.ts'
import { storeCommand } from '../store-command.ts'
import { describeCertificates, readCertificateFile } from './principals-certificates.ts'

export const principalsCreateCommand = storeCommand({
  name: 'principals create',
  usage: '[options]',
  description: [
    'Registers an application that may call the API, like an Azure AD app registration. Its client',
    'secret is printed once, now: only a hash of it is stored.',
  ],
  options: {
    tenant: { type: 'string' },
    'display-name': { type: 'string' },
    'client-id': { type: 'string' },
    'object-id': { type: 'string' },
    secret: { type: 'boolean', default: true },
    grant: { type: 'string', multiple: true },
    certificate: { type: 'string', multiple: true, complete: 'file' },
    json: { type: 'boolean' },
  },
  optionsHelp: [
    '  --tenant <id>                   Its tenant (directory) id. Default: a new tenant.',
    '  --display-name <text>           Display name. Default: "cloudpartner principal".',
    '  --client-id <id>                Its client (application) id. Default: a new GUID.',
    '  --object-id <id>                Its service principal object id. Default: a new GUID.',
    '  --no-secret                     No secret: a principal of an external Azure AD tenant, which',
    '                                  gets its tokens there (see --external-issuers of serve).',
    '  --grant <publisher>[:Role]      Give it a role on a publisher (Owner, the default, or',
    '                                  Contributor); the publisher must exist. Repeat for several.',
    '  --certificate <cert.pem>        A certificate it may also get tokens with (client assertions',
    '                                  signed by its private key); only the public part is stored.',
    '                                  Repeat for several; with --no-secret, its only credential.',
    '  --json                          Print the result as JSON, for scripts.',
  ],
  positionals: { min: 0, max: 0, names: '' },
  async run({ io, values, config, services }) {
    // The service's rules, asked before the store is opened: a usage error touches no store.
    const grants = (values.grant ?? []).map(parseGrant)
    const tenantId = optional('tenant id', values.tenant)
    const clientId = optional('client id', values['client-id'])
    const objectId = optional('object id', values['object-id'])
    const certificates = await Promise.all(
      (values.certificate ?? []).map((path) => readCertificateFile('principals create', path)),
    )
    const created = await (await services()).principals.create({
      displayName: values['display-name'] ?? 'cloudpartner principal',
      withSecret: values.secret,
      ...(tenantId === undefined ? {} : { tenantId }),
      ...(clientId === undefined ? {} : { clientId }),
      ...(objectId === undefined ? {} : { objectId }),
      grants,
      certificates,
    })
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
        certificates: created.certificates,
      })
      return EXIT.ok
    }
    printCreated(io, {
      ...principal,
      secret,
      grants,
      certificate: created.certificates.length > 0,
      url: `http://${config.host}:${config.port}`,
    })
    describeCertificates(io, created.certificates)
    return EXIT.ok
  },
})

function optional(name: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : azureAdId(name, value)
}

/** `<publisher>[:Role]`; the publisher id and the role are checked as the service checks them. */
function parseGrant(value: string): GrantRequest {
  const [publisherId = '', role = 'Owner', ...rest] = value.split(':')
  if (rest.length > 0) throw new UsageError(`principals create: --grant '${value}' is not <publisher>[:Role]`)
  checkPublisherId(publisherId)
  return { publisherId, role: checkRole(role) }
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
    certificate: boolean
    url: string
  },
): void {
  const grants = created.grants.map((grant) => `${grant.publisherId} (${grant.role})`).join(', ')
  io.out(
    [
      `Created principal "${created.displayName}".`,
      `  tenant id:      ${created.tenantId}`,
      `  client id:      ${created.clientId}`,
      ...(created.secret === undefined && created.certificate
        ? ['  client secret:  none: it gets its tokens with its certificate']
        : created.secret === undefined
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
