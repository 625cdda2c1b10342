import type { Dialect, SqlDatabase, SqlQueryable, SqlValue } from './database.ts'

/**
 * What watches the statements of a database (metrics, traces): told when each statement starts and,
 * through the function it answers, when it ends. Defined here so that the drivers' decorator depends
 * on nothing above storage/; src/observability/ implements it.
 */
export interface DatabaseObserver {
  /** A statement starts; the answer is called once when it ends, with its error if it failed. */
  statement(dialect: Dialect, sql: string): (error?: unknown) => void
  /**
   * Wraps a unit of work before the database queues it. SQLite's group commit runs a unit from
   * whichever caller started the group: the wrapper puts the unit back in its own caller's context,
   * so that its statements are traced under the request that asked for them.
   */
  unit<T>(work: (tx: SqlQueryable) => Promise<T>): (tx: SqlQueryable) => Promise<T>
}

/**
 * The same database, each statement reported to `observer`. Applied once where the database is
 * opened, so that every store on both backends is observed the same way; with no observer the
 * database is used as is and costs nothing more.
 */
export function observeDatabase(db: SqlDatabase, observer: DatabaseObserver): SqlDatabase {
  const observed = observeQueryable(db, observer)
  return {
    ...observed,
    withLock: (name, work) => db.withLock(name, work),
    close: () => db.close(),
    poolStats: () => db.poolStats(),
  }
}

/** `inTransaction`: nested work joins the open transaction, so it is no unit of its own. */
function observeQueryable(db: SqlQueryable, observer: DatabaseObserver, inTransaction = false): SqlQueryable {
  const { dialect } = db
  const measured = async <T>(sql: string, run: () => Promise<T>): Promise<T> => {
    const end = observer.statement(dialect, sql)
    try {
      const result = await run()
      end()
      return result
    } catch (error) {
      end(error)
      throw error
    }
  }
  return {
    dialect,
    all: <Row>(sql: string, params?: readonly SqlValue[]) => measured(sql, () => db.all<Row>(sql, params)),
    get: <Row>(sql: string, params?: readonly SqlValue[]) => measured(sql, () => db.get<Row>(sql, params)),
    run: (sql: string, params?: readonly SqlValue[]) => measured(sql, () => db.run(sql, params)),
    exec: (sql: string) => measured(sql, () => db.exec(sql)),
    iterate: <Row>(sql: string, params?: readonly SqlValue[]) =>
      observeRows(sql, db.iterate<Row>(sql, params)),
    transaction: <T>(work: (tx: SqlQueryable) => Promise<T>) => {
      const observed = (tx: SqlQueryable) => work(observeQueryable(tx, observer, true))
      return db.transaction(inTransaction ? observed : observer.unit(observed))
    },
  }

  /** A streamed statement lasts from its first row asked for to its last one read (or abandoned). */
  async function* observeRows<Row>(sql: string, rows: AsyncIterable<Row>): AsyncIterable<Row> {
    const end = observer.statement(dialect, sql)
    let failure: unknown
    try {
      yield* rows
    } catch (error) {
      failure = error
      throw error
    } finally {
      end(failure)
    }
  }
}
