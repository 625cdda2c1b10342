import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import type { SqlDatabase, SqlQueryable, SqlValue } from './database.ts'

/**
 * SQLite through the built-in `node:sqlite`. Statements are synchronous, so the only way another
 * request could slip into an open transaction is at an `await` inside `work`: an exclusive lock
 * makes every other statement wait until the transaction ends.
 */
export function openSqliteDatabase(location: { path: string } | { memory: true }): SqlDatabase {
  const path = 'path' in location ? location.path : ':memory:'
  if ('path' in location) mkdirSync(dirname(location.path), { recursive: true })
  // The busy timeout must be in force before the first statement: several processes opening a new
  // data directory at once all try to switch it to WAL.
  const db = new DatabaseSync(path, { timeout: 5000 })
  // WAL: readers do not block the writer. synchronous=FULL: a commit survives a crash or power loss.
  if ('path' in location) db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON')
  return new SqliteDatabase(db)
}

class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const
  readonly #db: DatabaseSync
  readonly #statements = new Map<string, StatementSync>()
  #transaction: Promise<unknown> | undefined
  readonly #direct: SqlQueryable

  constructor(db: DatabaseSync) {
    this.#db = db
    this.#direct = {
      dialect: 'sqlite',
      all: async <Row>(sql: string, params: readonly SqlValue[] = []) =>
        this.#prepare(sql).all(...params) as Row[],
      get: async <Row>(sql: string, params: readonly SqlValue[] = []) =>
        this.#prepare(sql).get(...params) as Row | undefined,
      run: async (sql: string, params: readonly SqlValue[] = []) => ({
        changes: Number(this.#prepare(sql).run(...params).changes),
      }),
      iterate: <Row>(sql: string, params: readonly SqlValue[] = []) => this.#iterate<Row>(sql, params),
      exec: async (sql: string) => this.#db.exec(sql),
      // Already inside the transaction: nested work simply joins it.
      transaction: <T>(work: (tx: SqlQueryable) => Promise<T>) => work(this.#direct),
    }
  }

  async all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    while (this.#transaction) await this.#idle()
    return this.#direct.all<Row>(sql, params)
  }

  async get<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined> {
    while (this.#transaction) await this.#idle()
    return this.#direct.get<Row>(sql, params)
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    while (this.#transaction) await this.#idle()
    return this.#direct.run(sql, params)
  }

  async *iterate<Row>(sql: string, params: readonly SqlValue[] = []): AsyncIterable<Row> {
    while (this.#transaction) await this.#idle()
    yield* this.#iterate<Row>(sql, params)
  }

  async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    while (this.#transaction) await this.#idle()
    const done = this.#runTransaction(work)
    this.#transaction = done
    try {
      return await done
    } finally {
      if (this.#transaction === done) this.#transaction = undefined
    }
  }

  async exec(sql: string): Promise<void> {
    while (this.#transaction) await this.#idle()
    this.#db.exec(sql)
  }

  /** SQLite serializes writers itself (BEGIN IMMEDIATE), and one file has one set of processes. */
  async withLock<T>(_name: string, work: () => Promise<T>): Promise<T> {
    return work()
  }

  async close(): Promise<void> {
    while (this.#transaction) await this.#idle()
    if (this.#db.isOpen) this.#db.close()
  }

  async #runTransaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    // IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read lock.
    this.#db.exec('BEGIN IMMEDIATE')
    try {
      const result = await work(this.#direct)
      this.#db.exec('COMMIT')
      return result
    } catch (error) {
      this.#db.exec('ROLLBACK')
      throw error
    }
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

  async *#iterate<Row>(sql: string, params: readonly SqlValue[]): AsyncIterable<Row> {
    // A fresh statement: a cached one would be reset if the same SQL ran while we iterate.
    const statement = this.#db.prepare(sql)
    for (const row of statement.iterate(...params)) yield row as Row
  }

  #prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql)
    if (!statement) {
      statement = this.#db.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }
}
