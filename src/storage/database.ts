/**
 * The narrow SQL interface the stores are written against. One SQL text serves both databases:
 * statements use `?` placeholders (the PostgreSQL driver numbers them) and portable SQL, so that a
 * store has one implementation and neither backend can lag behind the other.
 */
export type SqlValue = string | number | bigint | null | Uint8Array

export type Dialect = 'sqlite' | 'postgres'

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
