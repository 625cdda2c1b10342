import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto'
import { importPKCS8, type JWTPayload, SignJWT } from 'jose'
import forge from 'node-forge'

/** A self-signed certificate and its private key, made at test time, as `openssl req -x509` makes them. */
export interface TestCertificate {
  readonly certificate: string
  /** PKCS#8 PEM. */
  readonly privateKey: string
  /** Upper-case hex, over the DER encoding. */
  readonly thumbprintSha1: string
  readonly thumbprintSha256: string
}

const DAY_MS = 24 * 60 * 60 * 1000

export function createTestCertificate(options: { notBefore?: Date; notAfter?: Date } = {}): TestCertificate {
  const notBefore = options.notBefore ?? new Date(Date.now() - DAY_MS)
  const notAfter = options.notAfter ?? new Date(Date.now() + 3650 * DAY_MS)
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
  // Node verifies certificates but cannot make them; node-forge builds and signs this one.
  const certificate = forge.pki.createCertificate()
  certificate.publicKey = forge.pki.publicKeyFromPem(keys.publicKey)
  certificate.serialNumber = `01${randomUUID().replace(/-/g, '')}`
  certificate.validity.notBefore = notBefore
  certificate.validity.notAfter = notAfter
  const subject = [{ name: 'commonName', value: 'cloudpartner test client' }]
  certificate.setSubject(subject)
  certificate.setIssuer(subject)
  certificate.sign(forge.pki.privateKeyFromPem(keys.privateKey), forge.md.sha256.create())
  const pem = forge.pki.certificateToPem(certificate)
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary')
  return {
    certificate: pem,
    privateKey: keys.privateKey,
    thumbprintSha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
    thumbprintSha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
  }
}

export interface AssertionOptions {
  readonly clientId: string
  /** The token endpoint the assertion is for: its `aud`. */
  readonly audience: string | string[]
  /** Seconds since the epoch; the server's clock, not the machine's. */
  readonly now: number
  readonly claims?: JWTPayload
  /** Which thumbprint the header carries (MSAL: sha256 with PS256, ADAL and older MSALs: sha1 with RS256). */
  readonly thumbprint?: 'sha1' | 'sha256' | 'none'
  /** Sign with another key than the certificate's, keeping its thumbprint. */
  readonly signingKey?: string
}

/** A client assertion as MSAL builds it (ClientAssertion.createJwt): aud, exp, iss, sub, nbf, jti. */
export async function signAssertion(
  certificate: TestCertificate,
  options: AssertionOptions,
): Promise<string> {
  const kind = options.thumbprint ?? 'sha256'
  const alg = kind === 'sha1' ? 'RS256' : 'PS256'
  const header: Record<string, string> = { alg, typ: 'JWT' }
  if (kind === 'sha256')
    header['x5t#S256'] = Buffer.from(certificate.thumbprintSha256, 'hex').toString('base64url')
  if (kind === 'sha1') header.x5t = Buffer.from(certificate.thumbprintSha1, 'hex').toString('base64url')
  const key = await importPKCS8(options.signingKey ?? certificate.privateKey, alg)
  return new SignJWT({
    aud: options.audience,
    iss: options.clientId,
    sub: options.clientId,
    nbf: options.now,
    exp: options.now + 600,
    jti: randomUUID(),
    ...options.claims,
  })
    .setProtectedHeader(header as { alg: string })
    .sign(key)
}
