import type { SqlQueryable } from '../storage/database.ts'
import type { SigningKeyStore, StoredSigningKey } from './signing-keys.store.ts'

interface SigningKeyRow {
  kid: string
  public_jwk: string
  sealed_private_jwk: string
  created_time: string
  retired_time: string | null
}

export class SqlSigningKeyStore implements SigningKeyStore {
  readonly #db: SqlQueryable

  constructor(db: SqlQueryable) {
    this.#db = db
  }

  async listSigningKeys(): Promise<StoredSigningKey[]> {
    // Newest first means the active key, then keys in the order they were retired: creation times
    // alone tie when two keys are made within one clock tick (a first start followed by a rotation).
    const rows = await this.#db.all<SigningKeyRow>(
      `SELECT kid, public_jwk, sealed_private_jwk, created_time, retired_time FROM signing_keys
       ORDER BY CASE WHEN retired_time IS NULL THEN 0 ELSE 1 END, retired_time DESC, created_time DESC, kid`,
    )
    return rows.map((row) => ({
      kid: row.kid,
      publicJwk: row.public_jwk,
      sealedPrivateJwk: row.sealed_private_jwk,
      createdTime: row.created_time,
      ...(row.retired_time === null ? {} : { retiredTime: row.retired_time }),
    }))
  }

  async rotateTo(key: StoredSigningKey, now: string, pruneRetiredBefore: string): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx.run('DELETE FROM signing_keys WHERE retired_time IS NOT NULL AND retired_time < ?', [
        pruneRetiredBefore,
      ])
      await tx.run('UPDATE signing_keys SET retired_time = ? WHERE retired_time IS NULL', [now])
      await tx.run(
        'INSERT INTO signing_keys (kid, public_jwk, sealed_private_jwk, created_time, retired_time) VALUES (?, ?, ?, ?, NULL)',
        [key.kid, key.publicJwk, key.sealedPrivateJwk, key.createdTime],
      )
    })
  }
}
