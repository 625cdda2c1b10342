import { errors } from '../errors/errors.ts'
import type { Principal } from '../principals/principal.ts'
import type { PrincipalStore } from '../principals/principals.store.ts'
import type { AccessCache } from './access-cache.ts'
import type { Caller } from './caller.ts'
import { CLOUD_PARTNER_RESOURCE } from './cloud-partner.ts'
import { isDevelopmentPrincipal } from './development-credentials.ts'
import { InvalidTokenError, type TokenVerifier, type VerifiedToken } from './token-verifier.ts'

const BEARER = /^Bearer\s+(\S+)\s*$/i

/**
 * Turns an Authorization header into a Caller, or a 401 ApiError. `connection` (the request's
 * socket) lets requests that follow on the same connection with the same header skip what they
 * would repeat; without it every request is authenticated on its own.
 */
export type Authenticate = (authorization: string | undefined, connection?: object) => Promise<Caller>

/**
 * What the last request authenticated on a connection left, for the next one: a client sends the
 * same header on every request of a keep-alive connection. With the same header (compared whole),
 * the next request skips the Bearer parse and the token cache's lookup, which hashes the ~1 KB
 * token; while the token is still valid by the verifier's own test (expiry, with the tolerance),
 * so never longer than the verifier's cache would keep it. With the same access revision besides,
 * it is given the same Caller: its principal is what the access cache holds at that revision, and
 * the revision is still read for every request, so a revoke or a deletion committed by any process
 * before the request arrived is seen by it (docs/performance.md, fourth round, second pass).
 */
interface ConnectionMemo {
  readonly authorization: string
  readonly verified: VerifiedToken
  /** The token's ids as principals are registered (lower case), and the access cache's key. */
  readonly tenantId: string
  readonly clientId: string | undefined
  readonly objectId: string | undefined
  readonly principalKey: string
  /** The last Caller given on this connection, and the access revision it was read at. */
  caller: Caller | undefined
  revision: number | undefined
}

export function createAuthenticator(deps: {
  verifier: TokenVerifier
  principals: PrincipalStore
  production: boolean
  /** Principals already matched to tokens' ids; without it every request reads the principal. */
  cache?: AccessCache
}): Authenticate {
  const memos = new WeakMap<object, ConnectionMemo>()

  async function verifyHeader(authorization: string | undefined): Promise<VerifiedToken> {
    if (authorization === undefined || authorization.trim() === '') {
      throw errors.unauthorized(
        'The Authorization header is missing. Send Authorization: Bearer <access token>.',
      )
    }
    const token = BEARER.exec(authorization)?.[1]
    if (token === undefined) {
      throw errors.unauthorized(
        'The Authorization header must use the Bearer scheme.',
        CLOUD_PARTNER_RESOURCE,
      )
    }
    let verified: VerifiedToken
    try {
      verified = await deps.verifier.verify(token)
    } catch (error) {
      if (error instanceof InvalidTokenError)
        throw errors.unauthorized(headerSafe(error.message), CLOUD_PARTNER_RESOURCE)
      throw error
    }
    if (deps.production && isDevelopmentPrincipal(verified.tenantId, verified.clientId)) {
      throw errors.unauthorized(
        'The well-known development credentials are not accepted in production mode.',
        CLOUD_PARTNER_RESOURCE,
      )
    }
    return verified
  }

  /** A connection's memo, if its last request sent the same header and the token is still valid. */
  function kept(authorization: string | undefined, connection: object | undefined) {
    const memo = connection === undefined ? undefined : memos.get(connection)
    return memo !== undefined &&
      memo.authorization === authorization &&
      deps.verifier.stillValid(memo.verified)
      ? memo
      : undefined
  }

  async function remember(authorization: string | undefined, connection: object | undefined) {
    const verified = await verifyHeader(authorization)
    // Principals are registered with lower-case ids (E5); Azure AD compares them case-insensitively.
    const tenantId = verified.tenantId.toLowerCase()
    const clientId = verified.clientId?.toLowerCase()
    const objectId = verified.objectId?.toLowerCase()
    const memo: ConnectionMemo = {
      authorization: authorization as string,
      verified,
      tenantId,
      clientId,
      objectId,
      principalKey: `${tenantId}\n${clientId ?? ''}\n${objectId ?? ''}`,
      caller: undefined,
      revision: undefined,
    }
    if (connection !== undefined) memos.set(connection, memo)
    return memo
  }

  return async function authenticate(authorization, connection) {
    // Not an await when kept: a request that reuses the memo pays no promise for it.
    const memo = kept(authorization, connection) ?? (await remember(authorization, connection))
    const find = () => deps.principals.findByToken(memo.tenantId, memo.clientId, memo.objectId)
    if (!deps.cache) return callerOf(memo.verified, await find(), undefined)
    // The revision first: a principal read after it is at least as new as the revision says.
    const accessRevision = await deps.cache.revision()
    if (memo.caller !== undefined && memo.revision === accessRevision) return memo.caller
    const principal = await deps.cache.principal(memo.principalKey, accessRevision, find)
    const caller = callerOf(memo.verified, principal, accessRevision)
    memo.caller = caller
    memo.revision = accessRevision
    return caller
  }
}

function callerOf(
  verified: VerifiedToken,
  principal: Principal | undefined,
  accessRevision: number | undefined,
): Caller {
  return {
    tenantId: verified.tenantId,
    ...(verified.clientId === undefined ? {} : { clientId: verified.clientId }),
    ...(verified.objectId === undefined ? {} : { objectId: verified.objectId }),
    ...(principal ? { principalId: principal.id } : {}),
    ...(accessRevision === undefined ? {} : { accessRevision }),
  }
}

/**
 * The message is repeated in the WWW-Authenticate header, and may quote a claim of a forged token:
 * a character a header cannot carry (CR, LF, most of Unicode) would make Node refuse the whole
 * answer and turn the 401 into a 500. Printable ASCII is always safe.
 */
function headerSafe(message: string): string {
  return message.replace(/[^\x20-\x7e]/g, '?')
}
