import type { RegisteredCertificate } from './client-certificate.ts'
import type { Grant, Principal, Role } from './principal.ts'

export interface NewPrincipal {
  readonly id: string
  readonly tenantId: string
  readonly clientId: string
  readonly objectId: string
  readonly displayName: string
  /** scrypt hash of the client secret; never the secret itself. */
  readonly secretHash?: string
  readonly createdTime: string
}

/** Storage of principals and their grants. `find*` answers undefined when there is no match. */
export interface PrincipalStore {
  /** Creates the principal; answers false, changing nothing, when its client id or object id is taken in its tenant. */
  createPrincipal(principal: NewPrincipal): Promise<boolean>
  findPrincipal(id: string): Promise<Principal | undefined>
  /** The principal with its secret hash, for the token service's client authentication. */
  findCredentials(
    tenantId: string,
    clientId: string,
  ): Promise<{ principal: Principal; secretHash?: string } | undefined>
  /** Matches a verified token's `tid` and `appid` or `oid` to a registered principal. */
  findByToken(
    tenantId: string,
    clientId: string | undefined,
    objectId: string | undefined,
  ): Promise<Principal | undefined>
  listPrincipals(): Promise<Principal[]>
  /** Whether any principal belongs to the tenant: the token service knows no other tenants. */
  hasTenant(tenantId: string): Promise<boolean>
  /**
   * Replaces the hash of the principal's secret, only when it has one (a principal of an external
   * tenant has none to replace); answers whether it did.
   */
  replaceSecretHash(principalId: string, secretHash: string): Promise<boolean>
  /**
   * Registers a certificate on the principal; answers false, changing nothing, when the principal
   * already has it (the same SHA-256 thumbprint).
   */
  addCertificate(certificate: RegisteredCertificate): Promise<boolean>
  /** Removes the principal's certificate with this SHA-1 or SHA-256 thumbprint; answers whether it did. */
  removeCertificate(principalId: string, thumbprint: string): Promise<boolean>
  /** The principal's certificates, oldest first. */
  listCertificates(principalId: string): Promise<RegisteredCertificate[]>
  /** Deletes the principal, its grants and its certificates; answers false when there was none. */
  deletePrincipal(id: string): Promise<boolean>
  /** Gives (or changes) a principal's role on a publisher. */
  grant(grant: Grant, createdTime: string): Promise<void>
  /** Removes a principal's grant on a publisher; answers false when there was none. */
  revoke(principalId: string, publisherId: string): Promise<boolean>
  listGrants(principalId: string): Promise<Grant[]>
  /**
   * A number that every write to principals, grants or publishers increments in its own
   * transaction, from any process: while it is unchanged, whatever was read about a caller's
   * identity and access still holds (auth/access-cache.ts).
   */
  accessRevision(): Promise<number>
  findRole(principalId: string, publisherId: string): Promise<Role | undefined>
}
