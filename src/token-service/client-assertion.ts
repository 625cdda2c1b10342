import { X509Certificate } from 'node:crypto'
import {
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose'
import type { RegisteredCertificate } from '../principals/client-certificate.ts'
import { formatTimestamp } from '../timestamps.ts'
import { aadErrors } from './aad-error.ts'
import type { AssertionReplayStore } from './assertion-replay.store.ts'

/** What Azure AD documents for certificate assertions: RS256 with `x5t`, PS256 with `x5t#S256`. */
const ALGORITHMS = ['RS256', 'PS256']

/** Azure AD tolerates five minutes of clock skew on an assertion's `nbf` and `exp`. */
const CLOCK_SKEW_SECONDS = 300

/**
 * The hosts of Azure AD's public cloud: a client reached through the namespace recipe or proxy mode
 * (docs/unmodified-clients.md) believes it talks to one of them and names it in `aud`.
 */
const AZURE_AD_HOSTS: ReadonlySet<string> = new Set([
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'sts.windows.net',
])

export interface ClientAssertionCheck {
  readonly assertion: string
  /** The client id the request names (form, Basic, or the assertion's own `iss`), lower case. */
  readonly clientId: string
  /** The tenant as the URL spells it, and its canonical (lower-case) form. */
  readonly tenantAsSent: string
  readonly tenant: string
  /** The Host the client used, with its port: the token endpoint it addressed. */
  readonly host: string
  readonly certificates: readonly RegisteredCertificate[]
  readonly now: Date
  readonly replay: AssertionReplayStore
}

/** The claims of an assertion, read without verifying it: to find the client id when the form has none. */
export function unverifiedAssertionIssuer(assertion: string): string | undefined {
  try {
    const { iss } = decodeJwt(assertion)
    return typeof iss === 'string' && iss !== '' ? iss : undefined
  } catch {
    return undefined
  }
}

/**
 * Certificate credentials, as Azure AD checks a `client_assertion`
 * (learn.microsoft.com/entra/identity-platform/certificate-credentials): the header's `x5t` or
 * `x5t#S256` names one of the principal's certificates, still valid; its public key verifies the
 * signature; `iss` and `sub` are the client id; `aud` is one of the tenant's token endpoints; `exp`
 * and `nbf` hold now, with Azure AD's skew; and the `jti` was never accepted before. The jti is
 * recorded last, so that an assertion refused for another reason cannot spend it.
 */
export async function verifyClientAssertion(check: ClientAssertionCheck): Promise<void> {
  const { header, claims } = readAssertion(check.assertion)
  const { certificate, thumbprint } = findCertificate(header, check)
  const nowSeconds = Math.floor(check.now.getTime() / 1000)
  const start = formatTimestamp(new Date(certificate.notBefore))
  const end = formatTimestamp(new Date(certificate.notAfter))
  if (check.now < new Date(certificate.notBefore) || check.now > new Date(certificate.notAfter)) {
    throw aadErrors.assertionKeyExpired(thumbprint, start, end)
  }
  try {
    const key = new X509Certificate(certificate.certificate).publicKey
    await compactVerify(check.assertion, key, { algorithms: ALGORITHMS })
  } catch {
    throw aadErrors.assertionBadSignature(thumbprint, start, end)
  }
  if (!sameId(claims.iss, check.clientId) || !sameId(claims.sub, check.clientId)) {
    throw aadErrors.assertionClientMismatch()
  }
  if (!audiences(claims.aud).some((audience) => isTokenEndpoint(audience, check))) {
    throw aadErrors.assertionAudience()
  }
  const { exp, nbf = 0 } = claims
  if (typeof exp !== 'number' || !Number.isFinite(exp) || typeof nbf !== 'number' || !Number.isFinite(nbf)) {
    throw aadErrors.malformedAssertion('The assertion must carry numeric exp (and nbf) claims.')
  }
  if (nowSeconds < nbf - CLOCK_SKEW_SECONDS || nowSeconds > exp + CLOCK_SKEW_SECONDS) {
    throw aadErrors.assertionTimeRange(
      formatTimestamp(check.now),
      formatTimestamp(new Date(nbf * 1000)),
      formatTimestamp(new Date(Math.min(exp, 253402300799) * 1000)),
    )
  }
  if (typeof claims.jti !== 'string' || claims.jti === '') {
    throw aadErrors.malformedAssertion('The assertion must carry a jti claim.')
  }
  // Remembered until the assertion could no longer be accepted, skew included.
  const forgetAfter = Math.min(Math.ceil(exp) + CLOCK_SKEW_SECONDS, Number.MAX_SAFE_INTEGER)
  if (!(await check.replay.spendAssertion(check.clientId, claims.jti, forgetAfter, nowSeconds))) {
    throw aadErrors.assertionReplayed()
  }
}

function readAssertion(assertion: string): { header: ProtectedHeaderParameters; claims: JWTPayload } {
  try {
    return { header: decodeProtectedHeader(assertion), claims: decodeJwt(assertion) }
  } catch {
    throw aadErrors.malformedAssertion('The client_assertion is not a signed JWT.')
  }
}

/** The registered certificate the header's thumbprint names; the SHA-256 one wins when both are sent. */
function findCertificate(
  header: ProtectedHeaderParameters,
  check: ClientAssertionCheck,
): { certificate: RegisteredCertificate; thumbprint: string } {
  const sha256 = thumbprintHex(header['x5t#S256'])
  const sha1 = thumbprintHex(header.x5t)
  const certificate =
    sha256 !== undefined
      ? check.certificates.find((registered) => registered.thumbprintSha256 === sha256)
      : sha1 !== undefined
        ? check.certificates.find((registered) => registered.thumbprintSha1 === sha1)
        : undefined
  const thumbprint = sha256 ?? sha1 ?? ''
  if (!certificate) throw aadErrors.assertionKeyNotFound(thumbprint, check.clientId)
  return { certificate, thumbprint }
}

function thumbprintHex(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined
  return Buffer.from(value, 'base64url').toString('hex').toUpperCase()
}

function sameId(claim: unknown, clientId: string): boolean {
  return typeof claim === 'string' && claim.toLowerCase() === clientId
}

function audiences(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud]
  return Array.isArray(aud) ? aud.filter((value): value is string => typeof value === 'string') : []
}

/**
 * Whether `aud` names a token endpoint of the tenant, as leniently as Azure AD takes it: the v1 or the
 * v2 endpoint whichever one is called (ADAL wrote the v1 one, MSAL writes the one it calls), the
 * tenant's v2 issuer (older documentation's `{tenant}/v2.0`), the tenant id or the tenant as the URL
 * spells it, any case, with or without a trailing slash, at the host the client called or at Azure
 * AD's own hosts.
 */
function isTokenEndpoint(audience: string, check: ClientAssertionCheck): boolean {
  let url: URL
  try {
    url = new URL(audience)
  } catch {
    return false
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false
  const host = url.host.toLowerCase()
  if (host !== check.host.toLowerCase() && !AZURE_AD_HOSTS.has(url.hostname.toLowerCase())) return false
  const path = url.pathname.toLowerCase().replace(/\/+$/, '')
  return [check.tenant, check.tenantAsSent.toLowerCase()].some((tenant) =>
    [`/${tenant}/oauth2/token`, `/${tenant}/oauth2/v2.0/token`, `/${tenant}/v2.0`].includes(path),
  )
}
