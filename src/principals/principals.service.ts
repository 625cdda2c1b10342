import { randomUUID } from 'node:crypto'
import type { AuditStore } from '../audit/audit.store.ts'
import type { AuditChange } from '../audit/audit-event.ts'
import type { AuditRecorder } from '../audit/record-change.ts'
import type { Clock } from '../clock.ts'
import { errors } from '../errors/errors.ts'
import { checkPublisherId } from '../publishers/publisher.ts'
import type { PublisherStore } from '../publishers/publishers.store.ts'
import { formatTimestamp } from '../timestamps.ts'
import {
  type ClientCertificate,
  normalizeThumbprint,
  parseClientCertificates,
  type RegisteredCertificate,
} from './client-certificate.ts'
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
  /** Certificates (PEM texts) it may authenticate with, registered in the same transaction. */
  readonly certificates?: readonly string[]
}

export interface CreatedPrincipal {
  readonly principal: Principal
  /** Shown once, here: only its hash is stored. */
  readonly secret?: string
  readonly grants: readonly GrantRequest[]
  readonly certificates: readonly ClientCertificate[]
}

/** A registered certificate as administration shows it: never more than its public part. */
export type CertificateSummary = Omit<RegisteredCertificate, 'principalId' | 'certificate'>

export interface PrincipalWithGrants extends Principal {
  readonly grants: readonly GrantRequest[]
  readonly certificates: readonly CertificateSummary[]
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
  /**
   * Registers the certificates of a PEM text on the principal (certificate credentials: its
   * assertions are then verified with their public keys). 400 for a text that holds no RSA
   * certificate; 409 when the principal already has one of them.
   */
  addCertificates(
    principalId: string,
    pem: string,
  ): Promise<{ principal: Principal; added: ClientCertificate[] }>
  /** Removes the certificate with this SHA-1 or SHA-256 thumbprint (hex); 404 when it has none. */
  removeCertificate(principalId: string, thumbprint: string): Promise<Principal>
}

export function createPrincipalService(deps: {
  principals: PrincipalStore
  publishers: PublisherStore
  clock: Clock
  /**
   * One unit of work over the stores: a principal is created with its grants, or not at all; every
   * change commits with its audit record.
   */
  transaction<T>(
    work: (stores: {
      principals: PrincipalStore
      publishers: PublisherStore
      audit: AuditStore
    }) => Promise<T>,
  ): Promise<T>
  audit: AuditRecorder
}): PrincipalService {
  const now = () => formatTimestamp(deps.clock.now())
  const record = (audit: AuditStore, change: AuditChange) => deps.audit.record(audit, change)

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

  async function registerCertificates(
    principals: PrincipalStore,
    principal: Principal,
    certificates: readonly ClientCertificate[],
  ): Promise<void> {
    for (const certificate of certificates) {
      const added = await principals.addCertificate({
        ...certificate,
        principalId: principal.id,
        createdTime: now(),
      })
      if (!added) throw errors.certificateTaken(principal, certificate.thumbprintSha1)
    }
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
      const certificates = (request.certificates ?? []).flatMap(parseClientCertificates)
      const secret = request.withSecret === false ? undefined : (request.secret ?? generateClientSecret())
      const secretHash = secret === undefined ? undefined : await hashClientSecret(secret)
      const principal = await deps.transaction(async ({ principals, publishers, audit }) => {
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
        await record(audit, {
          action: 'principal.create',
          subjectId: id,
          outcome: 'created',
          details: {
            tenantId,
            clientId,
            objectId,
            displayName: request.displayName,
            withSecret: secret !== undefined,
          },
        })
        for (const grant of grants) {
          await principals.grant({ principalId: id, ...grant }, now())
          await record(audit, grantChange(id, grant))
        }
        const registered = await requirePrincipal(principals, id)
        await registerCertificates(principals, registered, certificates)
        return registered
      })
      return { principal, grants, certificates, ...(secret === undefined ? {} : { secret }) }
    },

    async list() {
      return Promise.all(
        (await deps.principals.listPrincipals()).map(async (principal) => ({
          ...principal,
          grants: (await deps.principals.listGrants(principal.id)).map(toGrantRequest),
          certificates: (await deps.principals.listCertificates(principal.id)).map(toSummary),
        })),
      )
    },

    find: (principalId) => deps.principals.findPrincipal(principalId),

    async findByClientId(tenantId, clientId) {
      return (await deps.principals.findCredentials(tenantId, clientId))?.principal
    },

    async grant(principalId, grant) {
      checkPublisherId(grant.publisherId)
      await deps.transaction(async ({ principals, publishers, audit }) => {
        await requirePrincipal(principals, principalId)
        await checkGrant(publishers, grant)
        await principals.grant({ principalId, ...grant }, now())
        await record(audit, grantChange(principalId, grant))
      })
    },

    async revoke(principalId, publisherId) {
      await deps.transaction(async ({ principals, audit }) => {
        const principal = await requirePrincipal(principals, principalId)
        if (!(await principals.revoke(principalId, publisherId))) {
          throw errors.grantNotFound(principal, publisherId)
        }
        await record(audit, {
          action: 'grant.revoke',
          publisherId,
          subjectId: principalId,
          outcome: 'revoked',
        })
      })
    },

    async rotateSecret(principalId) {
      const secret = generateClientSecret()
      const secretHash = await hashClientSecret(secret)
      const principal = await deps.transaction(async ({ principals, audit }) => {
        const found = await requirePrincipal(principals, principalId)
        if (!(await principals.replaceSecretHash(principalId, secretHash))) {
          throw errors.badRequest(
            `"${found.displayName}" (${found.clientId}) has no secret to rotate: it belongs to an external tenant and gets its tokens there.`,
          )
        }
        // That the secret changed, never the secret nor its hash.
        await record(audit, { action: 'principal.secret-rotate', subjectId: principalId, outcome: 'rotated' })
        return found
      })
      return { principal, secret }
    },

    async addCertificates(principalId, pem) {
      const added = parseClientCertificates(pem)
      const principal = await deps.transaction(async ({ principals, audit }) => {
        const found = await requirePrincipal(principals, principalId)
        await registerCertificates(principals, found, added)
        for (const certificate of added) {
          await record(audit, {
            action: 'principal.certificate-add',
            subjectId: principalId,
            outcome: 'added',
            details: { thumbprintSha256: certificate.thumbprintSha256 },
          })
        }
        return found
      })
      return { principal, added }
    },

    async removeCertificate(principalId, thumbprint) {
      const normalized = normalizeThumbprint(thumbprint)
      return deps.transaction(async ({ principals, audit }) => {
        const principal = await requirePrincipal(principals, principalId)
        if (!(await principals.removeCertificate(principalId, normalized))) {
          throw errors.certificateNotFound(principal, normalized)
        }
        await record(audit, {
          action: 'principal.certificate-remove',
          subjectId: principalId,
          outcome: 'removed',
          details: { thumbprint: normalized },
        })
        return principal
      })
    },

    async delete(principalId) {
      return deps.transaction(async ({ principals, audit }) => {
        const principal = await requirePrincipal(principals, principalId)
        const grants = await principals.listGrants(principalId)
        if (!(await principals.deletePrincipal(principalId))) throw errors.principalNotFound(principalId)
        await record(audit, {
          action: 'principal.delete',
          subjectId: principalId,
          outcome: 'deleted',
          details: {
            tenantId: principal.tenantId,
            clientId: principal.clientId,
            displayName: principal.displayName,
            grants: grants.map(toGrantRequest),
          },
        })
        return principal
      })
    },
  }
}

function guid(name: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : azureAdId(name, value)
}

function toSummary({
  principalId: _,
  certificate: __,
  ...summary
}: RegisteredCertificate): CertificateSummary {
  return summary
}

function grantChange(principalId: string, grant: GrantRequest): AuditChange {
  return {
    action: 'grant.set',
    publisherId: grant.publisherId,
    subjectId: principalId,
    outcome: 'granted',
    details: { role: grant.role },
  }
}

function toGrantRequest({ publisherId, role }: Grant): GrantRequest {
  return { publisherId, role }
}
