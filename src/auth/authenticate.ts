import { errors } from '../errors/errors.ts'
import type { PrincipalStore } from '../principals/principals.store.ts'
import type { AccessCache } from './access-cache.ts'
import type { Caller } from './caller.ts'
import { CLOUD_PARTNER_RESOURCE } from './cloud-partner.ts'
import { isDevelopmentPrincipal } from './development-credentials.ts'
import { InvalidTokenError, type TokenVerifier } from './token-verifier.ts'

const BEARER = /^Bearer\s+(\S+)\s*$/i

/** Turns an Authorization header into a Caller, or a 401 ApiError. */
export type Authenticate = (authorization: string | undefined) => Promise<Caller>

export function createAuthenticator(deps: {
  verifier: TokenVerifier
  principals: PrincipalStore
  production: boolean
  /** Principals already matched to tokens' ids; without it every request reads the principal. */
  cache?: AccessCache
}): Authenticate {
  return async function authenticate(authorization) {
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
    let verified: Awaited<ReturnType<TokenVerifier['verify']>>
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
    // Principals are registered with lower-case ids (E5); Azure AD compares them case-insensitively.
    const tenantId = verified.tenantId.toLowerCase()
    const clientId = verified.clientId?.toLowerCase()
    const objectId = verified.objectId?.toLowerCase()
    const find = () => deps.principals.findByToken(tenantId, clientId, objectId)
    // The revision first: a principal read after it is at least as new as the revision says.
    const accessRevision = deps.cache ? await deps.cache.revision() : undefined
    const principal =
      deps.cache && accessRevision !== undefined
        ? await deps.cache.principal(
            `${tenantId}\n${clientId ?? ''}\n${objectId ?? ''}`,
            accessRevision,
            find,
          )
        : await find()
    return {
      tenantId: verified.tenantId,
      ...(verified.clientId === undefined ? {} : { clientId: verified.clientId }),
      ...(verified.objectId === undefined ? {} : { objectId: verified.objectId }),
      ...(principal ? { principalId: principal.id } : {}),
      ...(accessRevision === undefined ? {} : { accessRevision }),
    }
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
