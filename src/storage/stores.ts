import { SqlSigningKeyStore } from '../auth/signing-keys.store.sql.ts'
import type { SigningKeyStore } from '../auth/signing-keys.store.ts'
import { SqlOfferStore } from '../offers/offers.store.sql.ts'
import type { OfferStore } from '../offers/offers.store.ts'
import { SqlPrincipalStore } from '../principals/principals.store.sql.ts'
import type { PrincipalStore } from '../principals/principals.store.ts'
import { SqlPublisherStore } from '../publishers/publishers.store.sql.ts'
import type { PublisherStore } from '../publishers/publishers.store.ts'
import type { SqlDatabase } from './database.ts'
import { schemaVersion } from './migration.ts'
import { type SettingsStore, SqlSettingsStore } from './settings.store.ts'

/** Every store the server uses, over one database. */
export interface Stores {
  readonly publishers: PublisherStore
  readonly offers: OfferStore
  readonly principals: PrincipalStore
  readonly signingKeys: SigningKeyStore
  readonly settings: SettingsStore
  /** Throws when the database cannot answer (readiness). */
  ping(): Promise<void>
  /** The highest migration applied; readiness compares it with the code's. */
  schemaVersion(): Promise<number>
  close(): Promise<void>
}

export function createSqlStores(db: SqlDatabase): Stores {
  return {
    publishers: new SqlPublisherStore(db),
    offers: new SqlOfferStore(db),
    principals: new SqlPrincipalStore(db),
    signingKeys: new SqlSigningKeyStore(db),
    settings: new SqlSettingsStore(db),
    ping: async () => {
      await db.get('SELECT 1 AS ok FROM schema_migrations LIMIT 1')
    },
    schemaVersion: () => schemaVersion(db),
    close: () => db.close(),
  }
}
