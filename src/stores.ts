import { SqlAuditStore } from './audit/audit.store.sql.ts'
import type { AuditStore } from './audit/audit.store.ts'
import { SqlOfferStore } from './offers/offers.store.sql.ts'
import type { OfferStore } from './offers/offers.store.ts'
import type { Operation, OutboxMessage } from './operations/operation.ts'
import type { OperationObserver } from './operations/operation-changes.ts'
import { SqlOperationStore } from './operations/operations.store.sql.ts'
import type { OperationStore } from './operations/operations.store.ts'
import { SqlPortalSessionStore } from './portal/sessions/portal-sessions.store.sql.ts'
import type { PortalSessionStore } from './portal/sessions/portal-sessions.store.ts'
import { SqlPrincipalStore } from './principals/principals.store.sql.ts'
import type { PrincipalStore } from './principals/principals.store.ts'
import { SqlPublisherStore } from './publishers/publishers.store.sql.ts'
import type { PublisherStore } from './publishers/publishers.store.ts'
import { SqlSettingsStore } from './settings/settings.store.sql.ts'
import type { SettingsStore } from './settings/settings.store.ts'
import type { Dialect, PoolStats, SqlDatabase, SqlQueryable } from './storage/database.ts'
import { migrate, schemaVersion } from './storage/migration.ts'
import { MIGRATIONS } from './storage/migrations/index.ts'
import { type DatabaseObserver, observeDatabase } from './storage/observed-database.ts'
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
  /** The portal's sign-in sessions (hashes of their ids). */
  readonly portalSessions: PortalSessionStore
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
  /** The database's connections in use and callers waiting for one (metrics). */
  poolStats(): PoolStats
  readonly dialect: Dialect
}

/** Who watches the stores (src/observability/): the database's statements, the operations' writes. */
export interface StoreObservers {
  readonly database?: DatabaseObserver
  readonly operations?: OperationObserver
}

/**
 * `committed` collects what to tell the operation observer once the transaction commits; outside a
 * transaction (undefined) each write is told at once, its own statement having committed it.
 */
export function createStoreSet(
  db: SqlQueryable,
  observer?: OperationObserver,
  committed?: (() => void)[],
): StoreSet {
  return {
    publishers: new SqlPublisherStore(db),
    offers: new SqlOfferStore(db),
    operations: observer ? new ObservedOperationStore(db, observer, committed) : new SqlOperationStore(db),
    principals: new SqlPrincipalStore(db),
    signingKeys: new SqlSigningKeyStore(db),
    assertionReplay: new SqlAssertionReplayStore(db),
    settings: new SqlSettingsStore(db),
    audit: new SqlAuditStore(db),
    portalSessions: new SqlPortalSessionStore(db),
  }
}

export function createSqlStores(db: SqlDatabase, observer?: OperationObserver): Stores {
  return {
    ...createStoreSet(db, observer),
    transaction: observer
      ? async (work) => {
          const committed: (() => void)[] = []
          const result = await db.transaction((tx) => work(createStoreSet(tx, observer, committed)))
          for (const tell of committed) tell()
          return result
        }
      : (work) => db.transaction((tx) => work(createStoreSet(tx))),
    ping: async () => {
      await db.get('SELECT 1 AS ok FROM schema_migrations LIMIT 1')
    },
    schemaVersion: () => schemaVersion(db),
    close: () => db.close(),
    poolStats: () => db.poolStats(),
    dialect: db.dialect,
  }
}

/** Opens the configured database, brings its schema up to date, and assembles the stores over it. */
export async function openStores(
  location: DatabaseLocation,
  observers: StoreObservers = {},
): Promise<Stores> {
  const opened = await openDatabase(location)
  const db = observers.database ? observeDatabase(opened, observers.database) : opened
  const result = await migrate(db, MIGRATIONS)
  if (result.error) {
    await db.close()
    throw new Error(`Database migration failed: ${result.error.message}`, { cause: result.error })
  }
  return createSqlStores(db, observers.operations)
}

/** The SQL store, telling the observer of each write it made once that write has committed. */
class ObservedOperationStore extends SqlOperationStore {
  readonly #observer: OperationObserver
  readonly #committed: (() => void)[] | undefined

  constructor(db: SqlQueryable, observer: OperationObserver, committed: (() => void)[] | undefined) {
    super(db)
    this.#observer = observer
    this.#committed = committed
  }

  override async insertOperation(operation: Operation): Promise<Operation> {
    const stored = await super.insertOperation(operation)
    this.#tell(() => this.#observer.stored(undefined, stored))
    return stored
  }

  override async saveOperation(current: Operation, next: Operation): Promise<Operation | undefined> {
    const stored = await super.saveOperation(current, next)
    if (stored) this.#tell(() => this.#observer.stored(current, stored))
    return stored
  }

  override async addOutboxMessages(messages: readonly Omit<OutboxMessage, 'sequence'>[]): Promise<void> {
    await super.addOutboxMessages(messages)
    for (const { event } of messages) this.#tell(() => this.#observer.outboxMessage(event))
  }

  #tell(tell: () => void): void {
    if (this.#committed) this.#committed.push(tell)
    else tell()
  }
}
