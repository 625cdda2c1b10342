import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock.ts'
import { errors } from '../errors/errors.ts'
import { checkPublisherId } from '../publishers/publisher.ts'
import type { PublisherStore } from '../publishers/publishers.store.ts'
import { formatTimestamp } from '../timestamps.ts'
import { generateClientSecret, hashClientSecret } from './client-secret.ts'
import { azureAdId, checkRole, type Grant, type Principal, type Role } from './principal.ts'
import type { PrincipalStore } from './principals.store.ts'

/** A role on a publisher, as a principal is given it. */
export interface GrantRequest {
  readonly publisherId: string
  readonly role: Role
}

export interface CreatePrincipalRequest {
  /** Azure AD's ids are GUIDs (principal.ts azureAdId); any case is accepted and kept lowercase. */
  readonly tenantId?: string
  readonly displayName: string
  readonly clientId?: string
  readonly objectId?: string
  /** A secret to register instead of a generated one (the well-known development principal). */
  readonly secret?: string
  /** False for principals of an external Azure AD tenant, which get their tokens there. */
  readonly withSecret?: boolean
  /** Roles to give it at once, in the same transaction: on existing publishers only. */
  readonly grants?: readonly GrantRequest[]
}

export interface CreatedPrincipal {
  readonly principal: Principal
  /** Shown once, here: only its hash is stored. */
  readonly secret?: string
  readonly grants: readonly GrantRequest[]
}

export interface PrincipalWithGrants extends Principal {
  readonly grants: readonly GrantRequest[]
}

/**
 * The applications that may call the API, and their roles on publishers: administration (the CLI,
 * the first-start bootstrap, tests). A grant names a publisher that exists; a role is Owner or
 * Contributor; ids are GUIDs. Secrets are returned once and stored only as hashes.
 */
export interface PrincipalService {
  /** 400 for a bad id, role or publisher id; 404 for a publisher that does not exist; 409 when its ids are taken. */
  create(request: CreatePrincipalRequest): Promise<CreatedPrincipal>
  list(): Promise<PrincipalWithGrants[]>
  find(principalId: string): Promise<Principal | undefined>
  /** The principal a token service client id names in a tenant. */
  findByClientId(tenantId: string, clientId: string): Promise<Principal | undefined>
  /** Gives (or changes) the principal's role on an existing publisher. */
  grant(principalId: string, grant: GrantRequest): Promise<void>
  /** Removes the principal's grant; 404 when it holds none on the publisher. */
  revoke(principalId: string, publisherId: string): Promise<void>
  /** Deletes the principal and its grants: its tokens reach no publisher any more. */
  delete(principalId: string): Promise<Principal>
  /**
   * A new secret in place of the old one, which stops working at once (tokens issued with it stay
   * valid until they expire, as with Azure AD). Returned once; 400 for a principal of an external
   * tenant, which has no secret here.
   */
  rotateSecret(principalId: string): Promise<{ principal: Principal; secret: string }>
}

export function createPrincipalService(deps: {
  principals: PrincipalStore
  publishers: PublisherStore
  clock: Clock
  /** One unit of work over both stores: a principal is created with its grants, or not at all. */
  transaction<T>(
    work: (stores: { principals: PrincipalStore; publishers: PublisherStore }) => Promise<T>,
  ): Promise<T>
}): PrincipalService {
  const now = () => formatTimestamp(deps.clock.now())

  async function requirePrincipal(principals: PrincipalStore, principalId: string): Promise<Principal> {
    const principal = await principals.findPrincipal(principalId)
    if (!principal) throw errors.principalNotFound(principalId)
    return principal
  }

  async function checkGrant(publishers: PublisherStore, grant: GrantRequest): Promise<void> {
    checkPublisherId(grant.publisherId)
    checkRole(grant.role)
    if (!(await publishers.findPublisher(grant.publisherId)))
      throw errors.publisherNotFound(grant.publisherId)
  }

  return {
    async create(request) {
      const grants = request.grants ?? []
      const id = randomUUID()
      const tenantId = guid('tenant id', request.tenantId) ?? randomUUID()
      const clientId = guid('client id', request.clientId) ?? randomUUID()
      const objectId = guid('object id', request.objectId) ?? id
      for (const grant of grants) {
        checkPublisherId(grant.publisherId)
        checkRole(grant.role)
      }
      const secret = request.withSecret === false ? undefined : (request.secret ?? generateClientSecret())
      const secretHash = secret === undefined ? undefined : await hashClientSecret(secret)
      const principal = await deps.transaction(async ({ principals, publishers }) => {
        for (const grant of grants) await checkGrant(publishers, grant)
        const created = await principals.createPrincipal({
          id,
          tenantId,
          clientId,
          objectId,
          displayName: request.displayName,
          ...(secretHash === undefined ? {} : { secretHash }),
          createdTime: now(),
        })
        if (!created) throw errors.principalIdTaken(tenantId, clientId)
        for (const grant of grants) await principals.grant({ principalId: id, ...grant }, now())
        return requirePrincipal(principals, id)
      })
      return { principal, grants, ...(secret === undefined ? {} : { secret }) }
    },

    async list() {
      return Promise.all(
        (await deps.principals.listPrincipals()).map(async (principal) => ({
          ...principal,
          grants: (await deps.principals.listGrants(principal.id)).map(toGrantRequest),
        })),
      )
    },

    find: (principalId) => deps.principals.findPrincipal(principalId),

    async findByClientId(tenantId, clientId) {
      return (await deps.principals.findCredentials(tenantId, clientId))?.principal
    },

    async grant(principalId, grant) {
      checkPublisherId(grant.publisherId)
      await deps.transaction(async ({ principals, publishers }) => {
        await requirePrincipal(principals, principalId)
        await checkGrant(publishers, grant)
        await principals.grant({ principalId, ...grant }, now())
      })
    },

    async revoke(principalId, publisherId) {
      const principal = await requirePrincipal(deps.principals, principalId)
      if (!(await deps.principals.revoke(principalId, publisherId))) {
        throw errors.grantNotFound(principal, publisherId)
      }
    },

    async rotateSecret(principalId) {
      const principal = await requirePrincipal(deps.principals, principalId)
      const secret = generateClientSecret()
      if (!(await deps.principals.replaceSecretHash(principalId, await hashClientSecret(secret)))) {
        throw errors.badRequest(
          `"${principal.displayName}" (${principal.clientId}) has no secret to rotate: it belongs to an external tenant and gets its tokens there.`,
        )
      }
      return { principal, secret }
    },

    async delete(principalId) {
      const principal = await requirePrincipal(deps.principals, principalId)
      if (!(await deps.principals.deletePrincipal(principalId))) throw errors.principalNotFound(principalId)
      return principal
    },
  }
}

function guid(name: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : azureAdId(name, value)
}

function toGrantRequest({ publisherId, role }: Grant): GrantRequest {
  return { publisherId, role }
}
