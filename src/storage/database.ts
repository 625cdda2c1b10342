/**
 * The narrow SQL interface the stores are written against. One SQL text serves both databases:
 * statements use `?` placeholders (the PostgreSQL driver numbers them) and portable SQL, so that a
 * store has one implementation and neither backend can lag behind the other.
 */
export type SqlValue = string | number | bigint | null | Uint8Array

export type Dialect = 'sqlite' | 'postgres'

/**
 * How a statement selects a TEXT column whose values may be megabytes long (an offer's definition):
 * on SQLite as its UTF-8 bytes, which `textOf` decodes outside the JavaScript heap, where node:sqlite
 * would build one string of that size in it (for a 4 MB definition, ~3× the time, and the largest
 * single step of reading it); on PostgreSQL as is, its driver decoding text from bytes already. The
 * one place where the stores' SQL differs by database.
 */
export function largeTextColumn(dialect: Dialect, column: string): string {
  return dialect === 'sqlite' ? `CAST(${column} AS BLOB) AS ${column.replace(/^\w+\./, '')}` : column
}

/** A value selected with `largeTextColumn`, as text. */
export function textOf(value: string | Uint8Array): string {
  return typeof value === 'string'
    ? value
    : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8')
}

export interface SqlQueryable {
  readonly dialect: Dialect
  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>
  get<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined>
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>
  /** Rows one at a time, for answers too large to hold at once. */
  iterate<Row>(sql: string, params?: readonly SqlValue[]): AsyncIterable<Row>
  /** Runs a script of statements without parameters (migrations). */
  exec(sql: string): Promise<void>
  /**
   * Runs `work` in one transaction: all of it commits, or none of it. Inside a transaction this
   * joins the open one, so a store method that needs atomicity also composes into a larger unit.
   */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>
}

export interface SqlDatabase extends SqlQueryable {
  /**
   * Runs `work` while holding a lock that every process using this database respects, e.g. so that
   * replicas starting together run each migration once.
   */
  withLock<T>(name: string, work: () => Promise<T>): Promise<T>
  close(): Promise<void>
  /** Connections busy with a statement or transaction, and callers waiting for one (metrics). */
  poolStats(): PoolStats
}

export interface PoolStats {
  readonly inUse: number
  readonly waiting: number
}
