import { createHash, X509Certificate } from 'node:crypto'
import { errors } from '../errors/errors.ts'

/**
 * A certificate registered on a principal, as Azure AD keeps an app's keyCredentials: the public
 * certificate only. An assertion names it by the base64url of its SHA-1 (`x5t`) or SHA-256
 * (`x5t#S256`) thumbprint, over the DER encoding; the thumbprints are kept as upper-case hex, as the
 * Azure portal and `az ad app credential list` show them.
 */
export interface ClientCertificate {
  readonly thumbprintSha1: string
  readonly thumbprintSha256: string
  /** PEM, one certificate. */
  readonly certificate: string
  /** ISO 8601: the certificate's own validity, which Azure AD takes as the key's start and end. */
  readonly notBefore: string
  readonly notAfter: string
}

export interface RegisteredCertificate extends ClientCertificate {
  readonly principalId: string
  readonly createdTime: string
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/**
 * Reads the certificates of a PEM text (a .pem or .crt file; a PEM file that also holds the private
 * key is accepted, and the key is ignored, never stored). Azure AD takes RSA certificates; anything
 * else is a 400 that says what was found.
 */
export function parseClientCertificates(pem: string): ClientCertificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? []
  if (blocks.length === 0) {
    throw errors.badRequest(
      'No certificate found: give the public certificate in PEM form (-----BEGIN CERTIFICATE-----).',
    )
  }
  return blocks.map(parseOne)
}

function parseOne(block: string): ClientCertificate {
  let certificate: X509Certificate
  try {
    certificate = new X509Certificate(block)
  } catch (error) {
    throw errors.badRequest(`The certificate cannot be read: ${(error as Error).message}`)
  }
  const keyType = certificate.publicKey.asymmetricKeyType
  if (keyType !== 'rsa') {
    throw errors.badRequest(
      `The certificate's key is ${keyType ?? 'of an unknown type'}: Azure AD accepts RSA certificates for client credentials.`,
    )
  }
  return {
    thumbprintSha1: thumbprint('sha1', certificate.raw),
    thumbprintSha256: thumbprint('sha256', certificate.raw),
    certificate: `${certificate.toString().trim()}\n`,
    notBefore: certificate.validFromDate.toISOString(),
    notAfter: certificate.validToDate.toISOString(),
  }
}

function thumbprint(algorithm: 'sha1' | 'sha256', der: Buffer): string {
  return createHash(algorithm).update(der).digest('hex').toUpperCase()
}

/** A thumbprint as a user may type it: hex in any case, with or without colons or spaces. */
export function normalizeThumbprint(value: string): string {
  return value.replace(/[\s:]/g, '').toUpperCase()
}
