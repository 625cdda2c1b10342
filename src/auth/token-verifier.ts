import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose'
import { LRUCache } from 'lru-cache'
import type { Clock } from '../clock.ts'
import type { Config } from '../config.ts'
import { isDatabaseUnavailable } from '../errors/database-unavailable.ts'
import type { Keyring } from '../token-service/keyring.ts'
import { tenantOfStsIssuer } from './cloud-partner.ts'

/** Azure AD's own validators tolerate five minutes of clock skew. */
const CLOCK_TOLERANCE_SECONDS = 300
const CACHE_ENTRIES = 10_000
/**
 * A request waits this long at most for an external tenant's JWKS before it is refused: Azure AD
 * answers in well under a second, and clients without retries should not hang on one that stalls.
 */
const JWKS_TIMEOUT_MS = 3_000

export interface VerifiedToken {
  readonly tenantId: string
  readonly clientId?: string
  readonly objectId?: string
  readonly issuer: string
  /** Milliseconds since the epoch. */
  readonly expiresAt: number
}

export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidTokenError'
  }
}

/** Checks a bearer token; throws InvalidTokenError when it is not one this server accepts. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>
  /**
   * Whether a token this verifier verified may still be accepted without checking it again: the
   * test its own cache applies (expiry, with the clock tolerance), for callers that keep what it
   * returned (authenticate.ts's memo per connection).
   */
  stillValid(verified: VerifiedToken): boolean
}

/**
 * Verifies bearer tokens with jose: RS256 only, the right audience, an issuer we trust, a key of that
 * issuer. A token's `iss` picks the key set: a configured external Azure AD tenant's JWKS, or our own
 * keyring for `https://sts.windows.net/{tenant}/` issuers, so a token can never be checked against
 * another issuer's keys. Verified tokens are cached until they expire.
 */
export function createTokenVerifier(deps: {
  keyring: Keyring
  clock: Clock
  audiences: readonly string[]
  externalIssuers: Config['externalIssuers']
}): TokenVerifier {
  const cache = new LRUCache<string, VerifiedToken>({ max: CACHE_ENTRIES })
  const external = new Map<string, JWTVerifyGetKey>(
    deps.externalIssuers.map((issuer) => [issuer.issuer, remoteKeys(issuer.jwksUri)]),
  )
  const localKey: JWTVerifyGetKey = async (header) => {
    const key = header.kid === undefined ? undefined : await deps.keyring.verificationKey(header.kid)
    if (!key) throw new InvalidTokenError('The token is signed with an unknown key.')
    return key
  }

  async function verifyUncached(token: string): Promise<VerifiedToken> {
    let issuer: unknown
    try {
      decodeProtectedHeader(token)
      issuer = decodeJwt(token).iss
    } catch {
      throw new InvalidTokenError('The token is not a well-formed JWT.')
    }
    if (typeof issuer !== 'string') throw new InvalidTokenError('The token has no issuer.')
    const externalKeys = external.get(issuer)
    const localTenant = externalKeys ? undefined : tenantOfStsIssuer(issuer)
    if (!externalKeys && localTenant === undefined) {
      throw new InvalidTokenError(`Tokens issued by '${shorten(issuer)}' are not accepted.`)
    }
    let payload: JWTPayload
    try {
      ;({ payload } = await jwtVerify(token, externalKeys ?? localKey, {
        algorithms: ['RS256'],
        issuer,
        audience: [...deps.audiences],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: deps.clock.now(),
        requiredClaims: ['exp', 'tid'],
      }))
    } catch (error) {
      // Our own store failing to give up a key is not the token's fault: let it become a 503.
      if (isDatabaseUnavailable(error)) throw error
      throw new InvalidTokenError(describe(error))
    }
    const tenantId = payload.tid
    if (typeof tenantId !== 'string' || (localTenant !== undefined && tenantId !== localTenant)) {
      throw new InvalidTokenError("The token's tenant does not match its issuer.")
    }
    return {
      tenantId,
      ...(typeof payload.appid === 'string' ? { clientId: payload.appid } : {}),
      ...(typeof payload.azp === 'string' && typeof payload.appid !== 'string'
        ? { clientId: payload.azp }
        : {}),
      ...(typeof payload.oid === 'string' ? { objectId: payload.oid } : {}),
      issuer,
      expiresAt: (payload.exp as number) * 1000,
    }
  }

  const stillValid = (verified: VerifiedToken) =>
    verified.expiresAt + CLOCK_TOLERANCE_SECONDS * 1000 > deps.clock.now().getTime()

  return {
    stillValid,
    async verify(token) {
      const now = deps.clock.now().getTime()
      const cached = cache.get(token)
      if (cached && cached.expiresAt + CLOCK_TOLERANCE_SECONDS * 1000 > now) return cached
      const verified = await verifyUncached(token)
      cache.set(token, verified, {
        ttl: Math.max(1, verified.expiresAt + CLOCK_TOLERANCE_SECONDS * 1000 - now),
      })
      return verified
    },
  }
}

/**
 * An external tenant's keys. A JWKS that cannot be fetched (refused, timed out, not JSON) makes the
 * token unverifiable, which is the client's 401, never our 500.
 */
function remoteKeys(jwksUri: string): JWTVerifyGetKey {
  const keys = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: JWKS_TIMEOUT_MS })
  return async (header, token) => {
    try {
      return await keys(header, token)
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') throw error
      throw new InvalidTokenError("The issuer's signing keys could not be retrieved.")
    }
  }
}

/** A forged token's issuer can be any length; the client only needs to recognise it. */
function shorten(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}...` : text
}

function describe(error: unknown): string {
  if (error instanceof InvalidTokenError) return error.message
  const code = (error as { code?: string }).code
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'The token has expired.'
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = (error as { claim?: string }).claim
      if (claim === 'nbf') return 'The token is not valid yet.'
      if (claim === 'aud') return 'The token was issued for another audience.'
      if (claim === 'iss') return 'The token was issued by another issuer.'
      return `The token's ${claim ?? 'claims'} claim is not valid.`
    }
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'The token is not signed with RS256.'
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'The token signature is not valid.'
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'The token is signed with an unknown key.'
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return "The token's header does not name which of the issuer's keys signed it (kid)."
    default:
      return 'The token is not valid.'
  }
}
