import { closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import type { PoolStats, SqlDatabase, SqlQueryable, SqlValue } from '../database.ts'
import { SqliteConnection } from './sqlite-connection.ts'

/**
 * SQLite through the built-in `node:sqlite`. Statements are synchronous, so the only way another
 * request could slip into an open transaction is at an `await` inside `work`: an exclusive lock
 * makes every other write wait until the transaction ends.
 *
 * Group commit: units of work that arrive while one runs, or in the turn of the event loop after
 * it, share its transaction, each under its own savepoint (one that fails is undone alone), and one
 * `COMMIT`: with synchronous=FULL every commit is an fsync, and one fsync per unit capped publishing
 * at the disk's flush rate (docs/performance.md). A caller hears back only after the commit that
 * made its work durable.
 *
 * A file database also has a second, read-only connection for reads outside transactions: in WAL
 * mode it sees exactly what was committed, so reads neither wait for an open group nor see a part of
 * it, and the requests whose units join a group get through their reads meanwhile. An in-memory
 * database has one connection, so there reads wait for the group as writes do.
 */
export function openSqliteDatabase(location: { path: string } | { memory: true }): SqlDatabase {
  const path = 'path' in location ? location.path : ':memory:'
  if ('path' in location) createPrivately(location.path)
  // The busy timeout must be in force before the first statement: several processes opening a new
  // data directory at once all try to switch it to WAL.
  const db = new DatabaseSync(path, { timeout: 5000 })
  // WAL: readers do not block the writer. synchronous=FULL: a commit survives a crash or power loss.
  if ('path' in location) db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON')
  const reader = 'path' in location ? new DatabaseSync(path, { timeout: 5000, readOnly: true }) : undefined
  return new SqliteDatabase(new SqliteConnection(db), reader && new SqliteConnection(reader))
}

/**
 * The data directory (0700) and the database file (0600) are the owner's alone: they hold offers,
 * sealed secrets and principals. SQLite creates its -wal and -shm files with the database file's
 * mode. An existing file keeps the mode its owner gave it.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  closeSync(openSync(path, 'a', 0o600))
}

/** Units sharing one commit at most, so that writes waiting outside transactions get their turn. */
const MAX_UNITS_PER_COMMIT = 32

/** A unit of work waiting for, or running in, a group transaction. */
interface Unit {
  readonly work: (tx: SqlQueryable) => Promise<unknown>
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const
  readonly #writer: SqliteConnection
  readonly #reader: SqliteConnection | undefined
  /** The group transaction in progress; writes outside transactions wait for it to end. */
  #transaction: Promise<unknown> | undefined
  /** Units waiting to join the group in progress or to start the next one. */
  readonly #units: Unit[] = []
  /** Statements of the units, on the writer, inside the open transaction. */
  readonly #inTransaction: SqlQueryable

  constructor(writer: SqliteConnection, reader: SqliteConnection | undefined) {
    this.#writer = writer
    this.#reader = reader
    this.#inTransaction = {
      dialect: 'sqlite',
      all: async <Row>(sql: string, params: readonly SqlValue[] = []) => writer.all<Row>(sql, params),
      get: async <Row>(sql: string, params: readonly SqlValue[] = []) => writer.get<Row>(sql, params),
      run: async (sql: string, params: readonly SqlValue[] = []) => ({ changes: writer.run(sql, params) }),
      iterate: <Row>(sql: string, params: readonly SqlValue[] = []) => writer.iterate<Row>(sql, params),
      exec: async (sql: string) => writer.exec(sql),
      // Already inside the transaction: nested work simply joins it.
      transaction: <T>(work: (tx: SqlQueryable) => Promise<T>) => work(this.#inTransaction),
    }
  }

  async all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    if (this.#reader) return this.#reader.all<Row>(sql, params)
    while (this.#transaction) await this.#idle()
    return this.#writer.all<Row>(sql, params)
  }

  async get<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    if (this.#reader) return this.#reader.get<Row>(sql, params)
    while (this.#transaction) await this.#idle()
    return this.#writer.get<Row>(sql, params)
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    while (this.#transaction) await this.#idle()
    return { changes: this.#writer.run(sql, params) }
  }

  iterate<Row>(sql: string, params: readonly SqlValue[] = []): AsyncIterable<Row> {
    if (this.#reader) return this.#reader.iterate<Row>(sql, params)
    // The statement starts on the first `next()`, after any open transaction.
    return this.#writer.iterate<Row>(sql, params, () => (this.#transaction ? this.#idle() : undefined))
  }

  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#units.push({ work, resolve: resolve as (value: unknown) => void, reject })
      if (!this.#transaction) this.#startGroup()
    })
  }

  async exec(sql: string): Promise<void> {
    while (this.#transaction) await this.#idle()
    this.#writer.exec(sql)
  }

  /** One writer: busy while a group transaction is open; the units queued for the next wait. */
  poolStats(): PoolStats {
    return { inUse: this.#transaction ? 1 : 0, waiting: this.#units.length }
  }

  /** SQLite serializes writers itself (BEGIN IMMEDIATE), and one file has one set of processes. */
  async withLock<T>(_name: string, work: () => Promise<T>): Promise<T> {
    return work()
  }

  async close(): Promise<void> {
    while (this.#transaction || this.#units.length > 0) await (this.#transaction ? this.#idle() : nextTurn())
    this.#reader?.close()
    this.#writer.close()
  }

  #startGroup(): void {
    const group = this.#runGroup()
    this.#transaction = group
    void group.then(() => {
      if (this.#transaction === group) this.#transaction = undefined
      // Writes that waited for this group run first (their continuations are queued already);
      // then the units that arrived too late for it start the next.
      if (this.#units.length > 0) {
        setImmediate(() => {
          if (!this.#transaction && this.#units.length > 0) this.#startGroup()
        })
      }
    })
  }

  /**
   * One transaction for the units waiting now, those arriving while they run and, on a file, those
   * arriving in the next turn of the event loop; each under a savepoint; one commit for all. Never
   * rejects: each unit's caller hears its own outcome.
   */
  async #runGroup(): Promise<void> {
    const done: { unit: Unit; value: unknown }[] = []
    try {
      // IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read lock.
      this.#writer.exec('BEGIN IMMEDIATE')
    } catch (error) {
      for (const unit of this.#units.splice(0)) unit.reject(error)
      return
    }
    let count = 0
    let waited = false
    for (;;) {
      let unit = count < MAX_UNITS_PER_COMMIT ? this.#units.shift() : undefined
      if (!unit && !waited && this.#reader && count < MAX_UNITS_PER_COMMIT) {
        // Requests that arrive meanwhile reach their unit of work in the same turn (their reads go
        // to the reader): one turn of waiting lets them share this commit.
        waited = true
        await nextTurn()
        unit = this.#units.shift()
      }
      if (!unit) break
      count += 1
      this.#writer.exec('SAVEPOINT unit')
      try {
        const value = await unit.work(this.#inTransaction)
        this.#writer.exec('RELEASE unit')
        done.push({ unit, value })
      } catch (error) {
        if (!this.#writer.isTransaction) {
          // SQLite rolled the whole transaction back itself (disk full, I/O error): every unit of it
          // is undone, so every unit of it fails.
          unit.reject(error)
          for (const each of done) each.unit.reject(error)
          return
        }
        this.#writer.exec('ROLLBACK TO unit; RELEASE unit')
        unit.reject(error)
      }
    }
    try {
      this.#writer.exec('COMMIT')
    } catch (error) {
      if (this.#writer.isTransaction) this.#writer.exec('ROLLBACK')
      for (const each of done) each.unit.reject(error)
      return
    }
    for (const each of done) each.unit.resolve(each.value)
  }

  /**
   * Waits for the open transaction to end. Callers write `while (this.#transaction) await this.#idle()`
   * so that the last check and their statement run in the same tick: awaiting an idle database would
   * yield, and another caller could begin a transaction in between ("cannot start a transaction
   * within a transaction", or a statement silently joining someone else's transaction).
   */
  async #idle(): Promise<void> {
    while (this.#transaction) await this.#transaction.catch(() => undefined)
  }
}
