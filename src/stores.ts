import { SqlAuditStore } from './audit/audit.store.sql.ts'
import type { AuditStore } from './audit/audit.store.ts'
import { SqlOfferStore } from './offers/offers.store.sql.ts'
import type { OfferStore } from './offers/offers.store.ts'
import { SqlOperationStore } from './operations/operations.store.sql.ts'
import type { OperationStore } from './operations/operations.store.ts'
import { SqlPrincipalStore } from './principals/principals.store.sql.ts'
import type { PrincipalStore } from './principals/principals.store.ts'
import { SqlPublisherStore } from './publishers/publishers.store.sql.ts'
import type { PublisherStore } from './publishers/publishers.store.ts'
import { SqlSettingsStore } from './settings/settings.store.sql.ts'
import type { SettingsStore } from './settings/settings.store.ts'
import type { SqlDatabase, SqlQueryable } from './storage/database.ts'
import { migrate, schemaVersion } from './storage/migration.ts'
import { MIGRATIONS } from './storage/migrations/index.ts'
import { type DatabaseLocation, openDatabase } from './storage/open-database.ts'
import { SqlAssertionReplayStore } from './token-service/assertion-replay.store.sql.ts'
import type { AssertionReplayStore } from './token-service/assertion-replay.store.ts'
import { SqlSigningKeyStore } from './token-service/signing-keys.store.sql.ts'
import type { SigningKeyStore } from './token-service/signing-keys.store.ts'

/**
 * The features' stores, assembled over one database. This is the one module that knows every
 * feature's SQL store: storage/ keeps the drivers, as Kysely keeps its dialects, and the features
 * know only their own store.
 */

/** The resource stores, all over the same connection or transaction. */
export interface StoreSet {
  readonly publishers: PublisherStore
  readonly offers: OfferStore
  readonly operations: OperationStore
  readonly principals: PrincipalStore
  readonly signingKeys: SigningKeyStore
  /** The jtis of accepted client assertions (certificate credentials). */
  readonly assertionReplay: AssertionReplayStore
  readonly settings: SettingsStore
  /** The audit trail: services append to it in the transaction of each change. */
  readonly audit: AuditStore
}

/** Every store the server uses, over one database. */
export interface Stores extends StoreSet {
  /**
   * A unit of work across stores: everything `work` does through the given stores commits together
   * or not at all (a publish writes an operation, a version snapshot and the offer at once).
   */
  transaction<T>(work: (stores: StoreSet) => Promise<T>): Promise<T>
  /** Throws when the database cannot answer (readiness). */
  ping(): Promise<void>
  /** The highest migration applied; readiness compares it with the code's. */
  schemaVersion(): Promise<number>
  close(): Promise<void>
}

export function createStoreSet(db: SqlQueryable): StoreSet {
  return {
    publishers: new SqlPublisherStore(db),
    offers: new SqlOfferStore(db),
    operations: new SqlOperationStore(db),
    principals: new SqlPrincipalStore(db),
    signingKeys: new SqlSigningKeyStore(db),
    assertionReplay: new SqlAssertionReplayStore(db),
    settings: new SqlSettingsStore(db),
    audit: new SqlAuditStore(db),
  }
}

export function createSqlStores(db: SqlDatabase): Stores {
  return {
    ...createStoreSet(db),
    transaction: (work) => db.transaction((tx) => work(createStoreSet(tx))),
    ping: async () => {
      await db.get('SELECT 1 AS ok FROM schema_migrations LIMIT 1')
    },
    schemaVersion: () => schemaVersion(db),
    close: () => db.close(),
  }
}

/** Opens the configured database, brings its schema up to date, and assembles the stores over it. */
export async function openStores(location: DatabaseLocation): Promise<Stores> {
  const db = await openDatabase(location)
  const result = await migrate(db, MIGRATIONS)
  if (result.error) {
    await db.close()
    throw new Error(`Database migration failed: ${result.error.message}`, { cause: result.error })
  }
  return createSqlStores(db)
}
