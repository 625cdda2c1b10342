import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  randomUUID,
  X509Certificate,
} from 'node:crypto'
import { SignJWT } from 'jose'
import { DEFAULT_LOCAL_ENDPOINT } from '../api/connection.ts'
import { EXIT, UsageError } from '../cli-errors.ts'
import { localCommand } from '../local-command.ts'
import { readCertificateFile } from './principals-certificates.ts'

/** As long as MSAL makes its assertions last: the server takes each one once, within it. */
const LIFETIME_SECONDS = 600

export const principalsAssertionCommand = localCommand({
  name: 'principals assertion',
  usage: '--key <key.pem> --certificate <cert.pem> --client-id <id> --tenant <id> [options]',
  description: [
    "Prints a client assertion: a JWT signed with a certificate's private key, as MSAL signs one for",
    "Azure AD's client_assertion (PS256, with the certificate's SHA-256 thumbprint as x5t#S256). Paste",
    "it into the portal's certificate sign-in, or send it to the token endpoint with",
    'client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer. It is accepted',
    'once, within ten minutes, by a server where the principal holds the certificate',
    '(principals create --certificate, principals add-certificate). Nothing is sent anywhere, and no',
    'store is opened: the key may stay on the machine that holds it.',
  ],
  options: {
    key: { type: 'string', complete: 'file' },
    certificate: { type: 'string', complete: 'file' },
    'client-id': { type: 'string', complete: 'text' },
    tenant: { type: 'string', complete: 'text' },
    endpoint: { type: 'string', complete: 'text' },
    audience: { type: 'string', complete: 'text' },
  },
  optionsHelp: [
    '  --key <key.pem>                 The private key (RSA, PEM, unencrypted). A file holding the',
    '                                  certificate and its key may be given to both options.',
    '  --certificate <cert.pem>        The certificate registered on the principal (PEM).',
    "  --client-id <id>                The principal's client id: iss and sub. Env: CLOUDPARTNER_CLIENT_ID.",
    "  --tenant <id>                   The principal's tenant id. Env: CLOUDPARTNER_TENANT_ID.",
    '  --endpoint <url>                The server the assertion is for. Env: CLOUDPARTNER_ENDPOINT.',
    `                                  Default: ${DEFAULT_LOCAL_ENDPOINT}.`,
    "  --audience <url>                aud. Default: the tenant's token endpoint of that server,",
    '                                  <endpoint>/<tenant>/oauth2/v2.0/token, which the token endpoint',
    '                                  and the portal (at that address) both accept.',
  ],
  settings: [],
  positionals: { min: 0, max: 0, names: '' },
  async run({ io, values }) {
    const clientId = values['client-id'] ?? nonEmpty(io.env.CLOUDPARTNER_CLIENT_ID)
    if (values.key === undefined) throw new UsageError('principals assertion: missing --key <key.pem>')
    if (values.certificate === undefined)
      throw new UsageError('principals assertion: missing --certificate <cert.pem>')
    if (clientId === undefined) throw new UsageError('principals assertion: missing --client-id <id>')
    const audience = values.audience ?? defaultAudience(values, io.env)
    const certificate = readCertificate(
      values.certificate,
      await readCertificateFile('principals assertion', values.certificate),
    )
    const key = readKey(values.key, await readCertificateFile('principals assertion', values.key))
    checkPair(certificate, key, values)
    const now = Math.floor(Date.now() / 1000)
    const thumbprint = createHash('sha256').update(certificate.raw).digest('base64url')
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': thumbprint })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(audience)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + LIFETIME_SECONDS)
      .sign(key)
    io.out(`${assertion}\n`)
    return EXIT.ok
  },
})

function defaultAudience(
  values: { readonly tenant?: string | undefined; readonly endpoint?: string | undefined },
  env: NodeJS.ProcessEnv,
): string {
  const tenant = values.tenant ?? nonEmpty(env.CLOUDPARTNER_TENANT_ID)
  if (tenant === undefined) {
    throw new UsageError('principals assertion: missing --tenant <id> (or an --audience of your own)')
  }
  const endpoint = values.endpoint ?? nonEmpty(env.CLOUDPARTNER_ENDPOINT) ?? DEFAULT_LOCAL_ENDPOINT
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    throw new UsageError(`principals assertion: --endpoint '${endpoint}' is not a URL`)
  }
  return `${url.origin}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`
}

function readCertificate(path: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(pem)
  } catch {
    throw new UsageError(`principals assertion: ${path} holds no PEM certificate`)
  }
}

function readKey(path: string, pem: string): KeyObject {
  let key: KeyObject
  try {
    key = createPrivateKey(pem)
  } catch (error) {
    throw new UsageError(
      `principals assertion: ${path} holds no unencrypted private key (${(error as Error).message}); an encrypted one can be decrypted with openssl pkey -in ${path} -out plain.pem`,
    )
  }
  // Azure AD takes RS256 and PS256 assertions only: RSA keys.
  if (key.asymmetricKeyType !== 'rsa') {
    throw new UsageError(
      `principals assertion: ${path} holds a ${key.asymmetricKeyType} key; Azure AD's client assertions need an RSA key`,
    )
  }
  return key
}

/** The key must be the certificate's: the server would refuse the signature (AADSTS700027) anyway. */
function checkPair(
  certificate: X509Certificate,
  key: KeyObject,
  paths: { readonly key?: string; readonly certificate?: string },
): void {
  const spki = (publicKey: KeyObject) => publicKey.export({ type: 'spki', format: 'der' })
  if (!spki(certificate.publicKey).equals(spki(createPublicKey(key)))) {
    throw new UsageError(
      `principals assertion: the key in ${paths.key} is not the private key of the certificate in ${paths.certificate}`,
    )
  }
  const now = new Date()
  if (now < certificate.validFromDate || now > certificate.validToDate) {
    throw new UsageError(
      `principals assertion: the certificate in ${paths.certificate} is not valid now (valid ${certificate.validFrom} to ${certificate.validTo}); the server would refuse it`,
    )
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
