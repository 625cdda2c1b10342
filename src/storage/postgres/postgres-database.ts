import pg from 'pg'
import Cursor from 'pg-cursor'
import { DatabaseUnavailableError, isDatabaseUnavailable } from '../../errors/database-unavailable.ts'
import type { PoolStats, SqlDatabase, SqlQueryable, SqlValue } from '../database.ts'
import { numberPlaceholders } from './placeholders.ts'

export interface PostgresOptions {
  readonly connectionString: string
  /** Connections per process; replicas multiply it, so keep it well under max_connections. */
  readonly maxConnections?: number
  /** Any statement running longer is cancelled by the server, so a stuck query cannot hold a request. */
  readonly statementTimeoutMs?: number
  /** How long to wait for a connection before failing the request (database down, pool exhausted). */
  readonly connectTimeoutMs?: number
}

const ITERATE_BATCH_ROWS = 500
/** Distinct statement texts prepared by name on each connection, at most. */
const NAMED_STATEMENTS = 500
const SELECTS_STAR = /(?:SELECT|RETURNING|,)\s*(?:\w+\.)?\*/i

/**
 * PostgreSQL through `pg`, behind the same interface as SQLite, so that every store runs unchanged
 * on both. A pool gives each transaction its own connection; statements outside a transaction take
 * any free one.
 */
export function openPostgresDatabase(options: PostgresOptions): SqlDatabase {
  const statementTimeoutMs = options.statementTimeoutMs ?? 5_000
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    statement_timeout: statementTimeoutMs,
    connectionTimeoutMillis:
      options.connectTimeoutMs ?? Math.min(5_000, statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS),
    idleTimeoutMillis: 30_000,
  })
  // An idle connection that dies (database restarted) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined)
  return new PostgresDatabase(pool, statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS)
}

/**
 * The server cancels a statement after statement_timeout, but a database that does not answer at
 * all (frozen, or a network that drops packets) cancels nothing: the client gives up this much
 * later, and the request is answered 503 instead of waiting for as long as the database is frozen.
 */
const CLIENT_TIMEOUT_MARGIN_MS = 1_000

class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const
  readonly #pool: pg.Pool
  readonly #sql = new Map<string, pg.QueryConfig>()
  /** Client side: how long a statement may go unanswered (statement timeout + margin). */
  readonly #readTimeoutMs: number

  constructor(pool: pg.Pool, readTimeoutMs: number) {
    this.#pool = pool
    this.#readTimeoutMs = readTimeoutMs
  }

  async all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return unavailableAware(async () => (await this.#pool.query(this.#withValues(sql, params))).rows as Row[])
  }

  async get<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    return (await this.all<Row>(sql, params))[0]
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    return unavailableAware(async () => ({
      changes: (await this.#pool.query(this.#withValues(sql, params))).rowCount ?? 0,
    }))
  }

  async *iterate<Row>(sql: string, params: readonly SqlValue[] = []): AsyncIterable<Row> {
    const client = await unavailableAware(() => this.#pool.connect())
    let broken = false
    try {
      yield* iterateOn<Row>(client, this.#numbered(sql).text, params, this.#readTimeoutMs)
    } catch (error) {
      broken = error instanceof DatabaseUnavailableError
      throw error
    } finally {
      client.release(broken)
    }
  }

  async exec(sql: string): Promise<void> {
    await unavailableAware(() => this.#pool.query(timed({ text: sql }, this.#readTimeoutMs)))
  }

  async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const client = await unavailableAware(() => this.#pool.connect())
    let broken = false
    const timeout = this.#readTimeoutMs
    try {
      await client.query(timed({ text: 'BEGIN' }, timeout))
      const result = await work(this.#onClient(client))
      await client.query(timed({ text: 'COMMIT' }, timeout))
      return result
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        // No ROLLBACK on a connection that does not answer: it would wait as long again. Closing
        // the connection rolls the transaction back on the server.
        broken = true
        throw new DatabaseUnavailableError(error)
      }
      try {
        await client.query(timed({ text: 'ROLLBACK' }, timeout))
      } catch {
        broken = true // the connection itself failed: do not give it back to the pool
      }
      throw error
    } finally {
      client.release(broken)
    }
  }

  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end()
  }

  poolStats(): PoolStats {
    return { inUse: this.#pool.totalCount - this.#pool.idleCount, waiting: this.#pool.waitingCount }
  }

  /** Runs `work` while holding a database-wide advisory lock (e.g. migrations of replicas starting together). */
  async withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const client = await unavailableAware(() => this.#pool.connect())
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [name])
      try {
        return await work()
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name])
      }
    } finally {
      client.release()
    }
  }

  #onClient(client: pg.PoolClient): SqlQueryable {
    const timeout = this.#readTimeoutMs
    const numbered = (sql: string) => timed(this.#numbered(sql), timeout)
    const queryable: SqlQueryable = {
      dialect: 'postgres',
      all: async <Row>(sql: string, params: readonly SqlValue[] = []) =>
        (await client.query({ ...numbered(sql), values: [...params] })).rows as Row[],
      get: async <Row>(sql: string, params: readonly SqlValue[] = []) =>
        (await client.query({ ...numbered(sql), values: [...params] })).rows[0] as Row | undefined,
      run: async (sql: string, params: readonly SqlValue[] = []) => ({
        changes: (await client.query({ ...numbered(sql), values: [...params] })).rowCount ?? 0,
      }),
      iterate: <Row>(sql: string, params: readonly SqlValue[] = []) =>
        iterateOn<Row>(client, numbered(sql).text, params, timeout),
      exec: async (sql: string) => {
        await client.query(timed({ text: sql }, timeout))
      },
      // Already inside the transaction: nested work joins it.
      transaction: <T>(work: (tx: SqlQueryable) => Promise<T>) => work(queryable),
    }
    return queryable
  }

  #withValues(sql: string, params: readonly SqlValue[]): pg.QueryConfig {
    return timed({ ...this.#numbered(sql), values: [...params] }, this.#readTimeoutMs)
  }

  /**
   * The statement with numbered placeholders and a name: `pg` prepares a named statement once per
   * connection and then only binds and executes it, which spares PostgreSQL parsing and planning the
   * same text on every request (docs/performance.md). The set of texts is small and fixed (the
   * stores' SQL, a few lengths of `IN (…)` lists); past a bound, texts go unnamed. So do texts that
   * select `*`: a migration that adds a column (a rolling upgrade) would change their result type,
   * which PostgreSQL refuses for a prepared statement ("cached plan must not change result type").
   */
  #numbered(sql: string): pg.QueryConfig {
    let query = this.#sql.get(sql)
    if (query === undefined) {
      const text = numberPlaceholders(sql)
      const named = this.#sql.size < NAMED_STATEMENTS && !SELECTS_STAR.test(text)
      query = named ? { name: `cp${this.#sql.size}`, text } : { text }
      this.#sql.set(sql, query)
    }
    return query
  }
}

/** Turns a lost or refused connection into DatabaseUnavailableError; other errors pass unchanged. */
async function unavailableAware<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    throw isDatabaseUnavailable(error) ? new DatabaseUnavailableError(error) : error
  }
}

/**
 * Rows in batches through a cursor. pg's own query_timeout cannot apply (it would cut a cursor that
 * is read slowly because its client reads slowly), so each read has its own: a read that the
 * database does not answer throws DatabaseUnavailableError, and the cursor is not closed (that
 * would wait as long again): the caller destroys the connection instead.
 */
async function* iterateOn<Row>(
  client: pg.PoolClient,
  sql: string,
  params: readonly SqlValue[],
  readTimeoutMs: number,
): AsyncIterable<Row> {
  const cursor = client.query(new Cursor(sql, [...params]))
  let answered = true
  try {
    for (;;) {
      answered = false
      const rows = (await withinTime(cursor.read(ITERATE_BATCH_ROWS), readTimeoutMs)) as Row[]
      answered = true
      if (rows.length === 0) return
      yield* rows
    }
  } finally {
    if (answered) await cursor.close()
  }
}

/** pg reads `query_timeout` from a query's config, but its types do not declare it. */
function timed(query: pg.QueryConfig, ms: number): pg.QueryConfig {
  return { ...query, query_timeout: ms } as pg.QueryConfig
}

function withinTime<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError(new Error('Query read timeout'))), ms)
  })
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}
