import { readFile } from 'node:fs/promises'
import type { ClientCertificate } from '../../principals/client-certificate.ts'
import { EXIT, UsageError } from '../cli-errors.ts'
import { type CliIo, printJson } from '../cli-io.ts'
import { resolvePrincipal } from '../resolve-principal.ts'
import { storeCommand } from '../store-command.ts'

const TENANT_HELP =
  '  --tenant <id>                   The tenant, when the client id is registered in several.'

/** The text of a certificate file a command names; a missing file is a usage error, before the store opens. */
export async function readCertificateFile(command: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw new UsageError(`${command}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`)
  }
}

export function describeCertificates(io: CliIo, certificates: readonly ClientCertificate[]): void {
  for (const certificate of certificates) {
    io.out(
      [
        `  certificate:    SHA-1 ${certificate.thumbprintSha1}`,
        `                  SHA-256 ${certificate.thumbprintSha256}`,
        `                  valid ${certificate.notBefore} to ${certificate.notAfter}`,
        '',
      ].join('\n'),
    )
  }
}

export const principalsAddCertificateCommand = storeCommand({
  name: 'principals add-certificate',
  usage: '<client-id> <cert.pem> [options]',
  description: [
    'Registers a certificate on the principal, as "Upload certificate" does for an Azure AD app: it',
    "may then get tokens with a client assertion signed by the certificate's private key (MSAL's",
    "clientCertificate, @azure/identity's ClientCertificateCredential). Only the public certificate",
    'is stored; a PEM file that also holds the private key is accepted and the key ignored.',
  ],
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  optionsHelp: [TENANT_HELP, '  --json                          Print the thumbprints as JSON.'],
  positionals: {
    min: 2,
    max: 2,
    names: 'the client id and the certificate file',
    complete: ['text', 'file'],
  },
  async run({ io, values, positionals, services }) {
    const [reference, path] = positionals as [string, string]
    const pem = await readCertificateFile('principals add-certificate', path)
    const { principals } = await services()
    const found = await resolvePrincipal(principals, reference, values.tenant)
    const { principal, added } = await principals.addCertificates(found.id, pem)
    if (values.json) {
      printJson(io, { tenantId: principal.tenantId, clientId: principal.clientId, certificates: added })
      return EXIT.ok
    }
    io.out(`Added to "${principal.displayName}" (${principal.clientId}):\n`)
    describeCertificates(io, added)
    return EXIT.ok
  },
})

export const principalsRemoveCertificateCommand = storeCommand({
  name: 'principals remove-certificate',
  usage: '<client-id> <thumbprint> [options]',
  description: [
    'Removes the certificate with this SHA-1 or SHA-256 thumbprint (hex, as `principals list --json`',
    'shows it) from the principal: assertions it signs are refused at once.',
  ],
  options: { tenant: { type: 'string' } },
  optionsHelp: [TENANT_HELP],
  positionals: { min: 2, max: 2, names: 'the client id and the thumbprint' },
  async run({ io, values, positionals, services }) {
    const [reference, thumbprint] = positionals as [string, string]
    const { principals } = await services()
    const found = await resolvePrincipal(principals, reference, values.tenant)
    const principal = await principals.removeCertificate(found.id, thumbprint)
    io.out(`Removed the certificate ${thumbprint} of "${principal.displayName}" (${principal.clientId}).\n`)
    return EXIT.ok
  },
})
