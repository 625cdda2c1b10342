import { bumpChangeCounter, readChangeCounter } from '../storage/change-counters.ts'
import type { SqlQueryable } from '../storage/database.ts'
import type { RegisteredCertificate } from './client-certificate.ts'
import type { Grant, Principal, Role } from './principal.ts'
import type { NewPrincipal, PrincipalStore } from './principals.store.ts'

interface PrincipalRow {
  id: string
  tenant_id: string
  client_id: string
  object_id: string
  display_name: string
  secret_hash: string | null
  created_time: string
}

const COLUMNS = 'id, tenant_id, client_id, object_id, display_name, secret_hash, created_time'

interface CertificateRow {
  principal_id: string
  thumbprint_sha256: string
  thumbprint_sha1: string
  certificate: string
  not_before: string
  not_after: string
  created_time: string
}

const CERTIFICATE_COLUMNS =
  'principal_id, thumbprint_sha256, thumbprint_sha1, certificate, not_before, not_after, created_time'

export class SqlPrincipalStore implements PrincipalStore {
  readonly #db: SqlQueryable

  constructor(db: SqlQueryable) {
    this.#db = db
  }

  async createPrincipal(principal: NewPrincipal): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const { changes } = await tx.run(
        `INSERT INTO principals (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [
          principal.id,
          principal.tenantId,
          principal.clientId,
          principal.objectId,
          principal.displayName,
          principal.secretHash ?? null,
          principal.createdTime,
        ],
      )
      // A token of this application may have been cached as a caller without a principal.
      if (changes === 1) await bumpChangeCounter(tx, 'access')
      return changes === 1
    })
  }

  async findPrincipal(id: string): Promise<Principal | undefined> {
    const row = await this.#db.get<PrincipalRow>(`SELECT ${COLUMNS} FROM principals WHERE id = ?`, [id])
    return row && toPrincipal(row)
  }

  async findCredentials(
    tenantId: string,
    clientId: string,
  ): Promise<{ principal: Principal; secretHash?: string } | undefined> {
    const row = await this.#db.get<PrincipalRow>(
      `SELECT ${COLUMNS} FROM principals WHERE tenant_id = ? AND client_id = ?`,
      [tenantId, clientId],
    )
    if (!row) return undefined
    return {
      principal: toPrincipal(row),
      ...(row.secret_hash === null ? {} : { secretHash: row.secret_hash }),
    }
  }

  async findByToken(
    tenantId: string,
    clientId: string | undefined,
    objectId: string | undefined,
  ): Promise<Principal | undefined> {
    // Two lookups on the unique (tenant, client) and (tenant, object) indexes, the client id first:
    // on every authenticated request this is cheaper than one OR query sorted by which matched.
    const byClient =
      clientId === undefined
        ? undefined
        : await this.#db.get<PrincipalRow>(
            `SELECT ${COLUMNS} FROM principals WHERE tenant_id = ? AND client_id = ?`,
            [tenantId, clientId],
          )
    const row =
      byClient ??
      (objectId === undefined
        ? undefined
        : await this.#db.get<PrincipalRow>(
            `SELECT ${COLUMNS} FROM principals WHERE tenant_id = ? AND object_id = ?`,
            [tenantId, objectId],
          ))
    return row && toPrincipal(row)
  }

  async listPrincipals(): Promise<Principal[]> {
    const rows = await this.#db.all<PrincipalRow>(
      `SELECT ${COLUMNS} FROM principals ORDER BY tenant_id, client_id`,
    )
    return rows.map(toPrincipal)
  }

  async hasTenant(tenantId: string): Promise<boolean> {
    return (
      (await this.#db.get('SELECT 1 AS found FROM principals WHERE tenant_id = ? LIMIT 1', [tenantId])) !==
      undefined
    )
  }

  async replaceSecretHash(principalId: string, secretHash: string): Promise<boolean> {
    const { changes } = await this.#db.run(
      'UPDATE principals SET secret_hash = ? WHERE id = ? AND secret_hash IS NOT NULL',
      [secretHash, principalId],
    )
    return changes === 1
  }

  async addCertificate(certificate: RegisteredCertificate): Promise<boolean> {
    const { changes } = await this.#db.run(
      `INSERT INTO principal_certificates (${CERTIFICATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      [
        certificate.principalId,
        certificate.thumbprintSha256,
        certificate.thumbprintSha1,
        certificate.certificate,
        certificate.notBefore,
        certificate.notAfter,
        certificate.createdTime,
      ],
    )
    return changes === 1
  }

  async removeCertificate(principalId: string, thumbprint: string): Promise<boolean> {
    const { changes } = await this.#db.run(
      `DELETE FROM principal_certificates
       WHERE principal_id = ? AND (thumbprint_sha256 = ? OR thumbprint_sha1 = ?)`,
      [principalId, thumbprint, thumbprint],
    )
    return changes > 0
  }

  async listCertificates(principalId: string): Promise<RegisteredCertificate[]> {
    const rows = await this.#db.all<CertificateRow>(
      `SELECT ${CERTIFICATE_COLUMNS} FROM principal_certificates WHERE principal_id = ?
       ORDER BY created_time, thumbprint_sha256`,
      [principalId],
    )
    return rows.map((row) => ({
      principalId: row.principal_id,
      thumbprintSha256: row.thumbprint_sha256,
      thumbprintSha1: row.thumbprint_sha1,
      certificate: row.certificate,
      notBefore: row.not_before,
      notAfter: row.not_after,
      createdTime: row.created_time,
    }))
  }

  async deletePrincipal(id: string): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      await tx.run('DELETE FROM publisher_grants WHERE principal_id = ?', [id])
      await tx.run('DELETE FROM principal_certificates WHERE principal_id = ?', [id])
      const { changes } = await tx.run('DELETE FROM principals WHERE id = ?', [id])
      if (changes === 1) await bumpChangeCounter(tx, 'access')
      return changes === 1
    })
  }

  async grant(grant: Grant, createdTime: string): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO publisher_grants (principal_id, publisher_id, role, created_time) VALUES (?, ?, ?, ?)
         ON CONFLICT (principal_id, publisher_id) DO UPDATE SET role = excluded.role`,
        [grant.principalId, grant.publisherId, grant.role, createdTime],
      )
      await bumpChangeCounter(tx, 'access')
    })
  }

  async revoke(principalId: string, publisherId: string): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const { changes } = await tx.run(
        'DELETE FROM publisher_grants WHERE principal_id = ? AND publisher_id = ?',
        [principalId, publisherId],
      )
      if (changes === 1) await bumpChangeCounter(tx, 'access')
      return changes === 1
    })
  }

  accessRevision(): Promise<number> {
    return readChangeCounter(this.#db, 'access')
  }

  async listGrants(principalId: string): Promise<Grant[]> {
    const rows = await this.#db.all<{ principal_id: string; publisher_id: string; role: Role }>(
      'SELECT principal_id, publisher_id, role FROM publisher_grants WHERE principal_id = ? ORDER BY publisher_id',
      [principalId],
    )
    return rows.map((row) => ({
      principalId: row.principal_id,
      publisherId: row.publisher_id,
      role: row.role,
    }))
  }

  async findRole(principalId: string, publisherId: string): Promise<Role | undefined> {
    const row = await this.#db.get<{ role: Role }>(
      'SELECT role FROM publisher_grants WHERE principal_id = ? AND publisher_id = ?',
      [principalId, publisherId],
    )
    return row?.role
  }
}

function toPrincipal(row: PrincipalRow): Principal {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    objectId: row.object_id,
    displayName: row.display_name,
    hasSecret: row.secret_hash !== null,
    createdTime: row.created_time,
  }
}
