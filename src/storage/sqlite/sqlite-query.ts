import type { DatabaseSync, StatementSync } from 'node:sqlite'
import type { SqlValue } from '../database.ts'

/**
 * A prepared statement whose rows are ordinary objects of one shape. node:sqlite makes each row a
 * null-prototype object in dictionary mode: building it costs twice what reading the row as an
 * array and assigning the columns here costs, and every later property read on it is a slow
 * lookup. The profile of listing 50 offers spent more time on those rows than in SQLite itself
 * (docs/performance.md).
 */
export class SqliteQuery {
  readonly #statement: StatementSync
  readonly #columns: readonly string[]

  constructor(db: DatabaseSync, sql: string) {
    this.#statement = db.prepare(sql)
    this.#statement.setReturnArrays(true)
    this.#columns = this.#statement.columns().map((column) => column.name)
  }

  get<Row>(params: readonly SqlValue[]): Row | undefined {
    const values = this.#statement.get(...params) as unknown as readonly unknown[] | undefined
    return values === undefined ? undefined : this.#row<Row>(values)
  }

  all<Row>(params: readonly SqlValue[]): Row[] {
    const rows = this.#statement.all(...params) as unknown as readonly (readonly unknown[])[]
    return rows.map((values) => this.#row<Row>(values))
  }

  run(params: readonly SqlValue[]): number {
    return Number(this.#statement.run(...params).changes)
  }

  /** The rows one at a time; the statement is reset when they run out or on `return()`. */
  iterate<Row>(params: readonly SqlValue[]): Iterator<Row, undefined> {
    const rows = this.#statement.iterate(...params) as unknown as Iterator<readonly unknown[], undefined>
    return {
      next: () => {
        const result = rows.next()
        return result.done
          ? { done: true, value: undefined }
          : { done: false, value: this.#row<Row>(result.value) }
      },
      return: () => {
        rows.return?.()
        return { done: true, value: undefined }
      },
    }
  }

  #row<Row>(values: readonly unknown[]): Row {
    const row: Record<string, unknown> = {}
    // A name that appears twice keeps its last value, as in node:sqlite's own row objects.
    for (let index = 0; index < this.#columns.length; index += 1) {
      row[this.#columns[index] as string] = values[index]
    }
    return row as Row
  }
}
