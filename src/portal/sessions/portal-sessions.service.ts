import { createHash, randomBytes } from 'node:crypto'
import type { AccessCache } from '../../auth/access-cache.ts'
import type { Caller } from '../../auth/caller.ts'
import { CLOUD_PARTNER_RESOURCE } from '../../auth/cloud-partner.ts'
import { DEVELOPMENT_CREDENTIALS, isDevelopmentPrincipal } from '../../auth/development-credentials.ts'
import type { Clock } from '../../clock.ts'
import { errors } from '../../errors/errors.ts'
import type { Principal } from '../../principals/principal.ts'
import type { PrincipalStore } from '../../principals/principals.store.ts'
import { formatTimestamp } from '../../timestamps.ts'
import { JWT_BEARER } from '../../token-service/aad-error.ts'
import { throttledClientCredentials } from '../../token-service/throttled-client-credentials.ts'
import type { TokenService } from '../../token-service/token-service.ts'
import type { TokenThrottle } from '../../token-service/token-throttle.ts'
import type { PortalSessionStore } from './portal-sessions.store.ts'

/** How long a sign-in lasts: a working day. The cookie expires with it. */
export const SESSION_HOURS = 8

/** Whoever looks at the portal: a principal, as the API's services see it (a Caller). */
export interface PortalViewer {
  readonly principal: Principal
  readonly caller: Caller
  /** Signed in as the development principal without asking (development mode, no session). */
  readonly automatic: boolean
}

/**
 * What proves the principal: its secret, or a client assertion (a JWT signed with the private key
 * of one of its certificates, for the token endpoint of this server: docs/portal.md).
 */
export type PortalCredential = { readonly clientSecret: string } | { readonly clientAssertion: string }

export interface PortalSignIn {
  readonly tenantId: string
  readonly clientId: string
  readonly credential: PortalCredential
  /** The browser's address: the token endpoint's throttle counts attempts by it. */
  readonly address: string
  readonly host: string
}

export interface StartedSession {
  /** The cookie's value: known to the browser only (the store keeps its hash). */
  readonly sessionId: string
  readonly expires: Date
  readonly viewer: PortalViewer
}

/**
 * The portal's sign-in. A principal signs in with the credentials it has for the token endpoint,
 * checked by the same code under the same throttle (its errors are Azure AD's, e.g. 429 with a
 * wait); the session is a row in the store, so every replica knows it. Each request turns the
 * session back into a Caller through the access cache, tagged with the store's access revision as
 * a token's is: a principal deleted or a grant revoked from any process is seen on the next request.
 */
export interface PortalSessionService {
  /** Throws the token service's AadError when the credentials are refused or throttled. */
  signIn(request: PortalSignIn): Promise<StartedSession>
  /** The viewer of a live session; undefined for none, an expired one, or a deleted principal. */
  resume(sessionId: string): Promise<PortalViewer | undefined>
  /** Development mode only: the development principal, while it exists. */
  developmentViewer(): Promise<PortalViewer | undefined>
  signOut(sessionId: string): Promise<void>
}

export function createPortalSessionService(deps: {
  sessions: PortalSessionStore
  principals: PrincipalStore
  accessCache: AccessCache
  tokens: TokenService
  throttle: TokenThrottle
  clock: Clock
  production: boolean
}): PortalSessionService {
  const { sessions, principals, accessCache, clock } = deps
  const hashOf = (sessionId: string) => createHash('sha256').update(sessionId).digest('base64url')

  async function viewerOf(
    key: string,
    find: () => Promise<Principal | undefined>,
    automatic: boolean,
  ): Promise<PortalViewer | undefined> {
    // The revision first, as the API's authentication reads it: the principal read after it is
    // at least as new as the revision says.
    const accessRevision = await accessCache.revision()
    const principal = await accessCache.principal(key, accessRevision, find)
    if (!principal) return undefined
    // A store that served development mode before keeps its sessions; production refuses them.
    if (deps.production && isDevelopmentPrincipal(principal.tenantId, principal.clientId)) return undefined
    return {
      principal,
      automatic,
      caller: {
        tenantId: principal.tenantId,
        clientId: principal.clientId,
        objectId: principal.objectId,
        principalId: principal.id,
        accessRevision,
      },
    }
  }

  const sessionViewer = (principalId: string) =>
    viewerOf(`portal-session\n${principalId}`, () => principals.findPrincipal(principalId), false)

  return {
    async signIn(request) {
      const clientId = request.clientId.trim().toLowerCase()
      // The token endpoint's own check (a token is issued and dropped: sign-in is rare). An
      // assertion is checked as the v2 endpoint checks one, with this request's host: its `aud`
      // names the tenant's token endpoint of this server, and its jti is spent here as there.
      await throttledClientCredentials(deps, request.address, clientId, {
        tenant: request.tenantId.trim(),
        version: 'v2',
        host: request.host,
        form: {
          grant_type: 'client_credentials',
          client_id: clientId,
          ...credentialFields(request.credential),
          scope: `${CLOUD_PARTNER_RESOURCE}/.default`,
        },
      })
      const credentials = await principals.findCredentials(request.tenantId.trim().toLowerCase(), clientId)
      const viewer = credentials && (await sessionViewer(credentials.principal.id))
      // Deleted between the check and now: as if the credentials had been wrong a moment later.
      if (!viewer) throw errors.unauthorized('The principal was deleted while it signed in.')
      const now = clock.now()
      const expires = new Date(now.getTime() + SESSION_HOURS * 60 * 60 * 1000)
      const sessionId = randomBytes(32).toString('base64url')
      await sessions.deleteExpiredSessions(formatTimestamp(now))
      await sessions.createSession({
        idHash: hashOf(sessionId),
        principalId: viewer.principal.id,
        createdTime: formatTimestamp(now),
        expiresTime: formatTimestamp(expires),
      })
      return { sessionId, expires, viewer }
    },

    async resume(sessionId) {
      const idHash = hashOf(sessionId)
      const session = await sessions.findSession(idHash)
      if (!session) return undefined
      if (session.expiresTime <= formatTimestamp(clock.now())) {
        await sessions.deleteSession(idHash)
        return undefined
      }
      return sessionViewer(session.principalId)
    },

    async developmentViewer() {
      if (deps.production) return undefined
      const { tenantId, clientId } = DEVELOPMENT_CREDENTIALS
      return viewerOf(
        `${tenantId}\n${clientId}\n`,
        () => principals.findByToken(tenantId, clientId, undefined),
        true,
      )
    },

    async signOut(sessionId) {
      await sessions.deleteSession(hashOf(sessionId))
    },
  }
}

/** The credential as the token endpoint's form carries it. */
function credentialFields(credential: PortalCredential): Record<string, string> {
  if ('clientAssertion' in credential) {
    return { client_assertion_type: JWT_BEARER, client_assertion: credential.clientAssertion }
  }
  return { client_secret: credential.clientSecret }
}
