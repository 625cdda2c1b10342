import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import type { SqlDatabase, SqlQueryable, SqlValue } from './database.ts'
import { SqliteQuery } from './sqlite-query.ts'

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

/** Idle statements kept per query for iterations; a busy server rarely has more open at once. */
const IDLE_ITERATION_STATEMENTS = 16

class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const
  readonly #db: DatabaseSync
  readonly #statements = new Map<string, SqliteQuery>()
  /** Statements for iterations, by SQL: one iteration at a time uses each. */
  readonly #iterationStatements = new Map<string, SqliteQuery[]>()
  #transaction: Promise<unknown> | undefined
  readonly #direct: SqlQueryable

  constructor(db: DatabaseSync) {
    this.#db = db
    this.#direct = {
      dialect: 'sqlite',
      all: async <Row>(sql: string, params: readonly SqlValue[] = []) => this.#prepare(sql).all<Row>(params),
      get: async <Row>(sql: string, params: readonly SqlValue[] = []) => this.#prepare(sql).get<Row>(params),
      run: async (sql: string, params: readonly SqlValue[] = []) => ({
        changes: this.#prepare(sql).run(params),
      }),
      iterate: <Row>(sql: string, params: readonly SqlValue[] = []) => this.#iterate<Row>(sql, params, false),
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

  iterate<Row>(sql: string, params: readonly SqlValue[] = []): AsyncIterable<Row> {
    return this.#iterate<Row>(sql, params, true)
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

  /**
   * Rows one at a time through a plain async iterator over the synchronous statement, rather than
   * a generator per layer: listing offers awaited four generators per row (docs/performance.md).
   * Like the generator it replaces, it starts the statement on the first `next()`, after any open
   * transaction when `outsideTransactions`. The statement is borrowed for the iteration, because
   * running the same SQL meanwhile would reset a shared one, and given back when the rows run out,
   * on `return()` (a client gone), or on an error.
   */
  #iterate<Row>(sql: string, params: readonly SqlValue[], outsideTransactions: boolean): AsyncIterable<Row> {
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<Row, undefined> => {
        let statement: SqliteQuery | undefined
        let rows: Iterator<Row, undefined> | undefined
        let finished = false
        const release = () => {
          finished = true
          if (statement) this.#giveBack(sql, statement)
          statement = undefined
        }
        const step = (): IteratorResult<Row, undefined> => {
          // A statement given back may already serve another iteration: never touch it again.
          if (finished) return { done: true, value: undefined }
          if (rows === undefined) {
            statement = this.#borrow(sql)
            rows = statement.iterate<Row>(params)
          }
          try {
            const result = rows.next()
            if (result.done) release()
            return result
          } catch (error) {
            release()
            throw error
          }
        }
        return {
          next: () => {
            if (rows === undefined && outsideTransactions && this.#transaction) return this.#afterIdle(step)
            try {
              return Promise.resolve(step())
            } catch (error) {
              return Promise.reject(error)
            }
          },
          return: async () => {
            if (statement) rows?.return?.()
            release()
            return { done: true, value: undefined }
          },
        }
      },
    }
  }

  /** Runs `work` once no transaction is open, in the tick the last check was made (see #idle). */
  async #afterIdle<T>(work: () => T): Promise<T> {
    while (this.#transaction) await this.#idle()
    return work()
  }

  #borrow(sql: string): SqliteQuery {
    return this.#iterationStatements.get(sql)?.pop() ?? new SqliteQuery(this.#db, sql)
  }

  #giveBack(sql: string, statement: SqliteQuery): void {
    const idle = this.#iterationStatements.get(sql)
    if (idle === undefined) this.#iterationStatements.set(sql, [statement])
    else if (idle.length < IDLE_ITERATION_STATEMENTS) idle.push(statement)
  }

  #prepare(sql: string): SqliteQuery {
    let statement = this.#statements.get(sql)
    if (!statement) {
      statement = new SqliteQuery(this.#db, sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }
}
