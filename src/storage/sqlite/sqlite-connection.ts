import type { DatabaseSync } from 'node:sqlite'
import type { SqlValue } from '../database.ts'
import { SqliteQuery } from './sqlite-query.ts'

/** Idle statements kept per query for iterations; a busy server rarely has more open at once. */
const IDLE_ITERATION_STATEMENTS = 16

/**
 * One `node:sqlite` connection with its prepared statements: one per query for single answers, and
 * a small pool per query for iterations, which hold theirs until the rows run out.
 */
export class SqliteConnection {
  readonly #db: DatabaseSync
  readonly #statements = new Map<string, SqliteQuery>()
  /** Statements for iterations, by SQL: one iteration at a time uses each. */
  readonly #iterationStatements = new Map<string, SqliteQuery[]>()

  constructor(db: DatabaseSync) {
    this.#db = db
  }

  get isTransaction(): boolean {
    return this.#db.isTransaction
  }

  all<Row>(sql: string, params: readonly SqlValue[]): Row[] {
    return this.#prepare(sql).all<Row>(params)
  }

  get<Row>(sql: string, params: readonly SqlValue[]): Row | undefined {
    return this.#prepare(sql).get<Row>(params)
  }

  run(sql: string, params: readonly SqlValue[]): number {
    return this.#prepare(sql).run(params)
  }

  exec(sql: string): void {
    this.#db.exec(sql)
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close()
  }

  /**
   * Rows one at a time through a plain async iterator over the synchronous statement, rather than
   * a generator per layer: listing offers awaited four generators per row (docs/performance.md).
   * It starts the statement on the first `next()`, once `busy` answers nothing to wait for (in the
   * same tick as that last check). The statement is borrowed for the iteration, because running the
   * same SQL meanwhile would reset a shared one, and given back when the rows run out, on `return()`
   * (a client gone), or on an error.
   */
  iterate<Row>(
    sql: string,
    params: readonly SqlValue[],
    busy: () => Promise<void> | undefined = () => undefined,
  ): AsyncIterable<Row> {
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
            if (rows === undefined && busy()) return afterWaiting(busy, step)
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

/** Runs `work` once `busy` answers nothing to wait for, in the tick of that last check. */
async function afterWaiting<T>(busy: () => Promise<void> | undefined, work: () => T): Promise<T> {
  for (let wait = busy(); wait; wait = busy()) await wait
  return work()
}
