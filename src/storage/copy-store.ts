import type { SqlDatabase, SqlValue } from './database.ts'
import { migrate } from './migration.ts'
import { MIGRATIONS } from './migrations/index.ts'
import { openPostgresDatabase } from './postgres/postgres-database.ts'
import { openSqliteDatabase } from './sqlite/sqlite-database.ts'

/**
 * Every table of the schema but `schema_migrations`, parents before children so that foreign keys
 * hold while rows arrive. A test compares this list with the tables the migrations create, so a new
 * table cannot be forgotten here.
 */
export const COPIED_TABLES = [
  'settings',
  'publishers',
  'offers',
  'offer_versions',
  'offer_slots',
  'principals',
  'publisher_grants',
  'principal_certificates',
  'portal_sessions',
  'client_assertion_jtis',
  'signing_keys',
  'operations',
  'operation_steps',
  'operation_outbox',
  'publish_faults',
  'audit_events',
  'change_counters',
] as const

const BATCH_ROWS = 200

export class TargetNotEmptyError extends Error {
  constructor(table: string) {
    super(
      `The target database already holds data (table ${table} is not empty); copy only into a new database.`,
    )
    this.name = 'TargetNotEmptyError'
  }
}

/** A step of copyIntoPostgres that failed, named for the message. */
export class CopyFailedError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause })
    this.name = 'CopyFailedError'
  }
}

/**
 * `cloudpartner migrate-to-postgres`: brings both schemas up to date, then copies the SQLite file's
 * rows into the empty PostgreSQL database (copyStore). The SQLite file is only read.
 */
export async function copyIntoPostgres(
  sqlitePath: string,
  connectionString: string,
): Promise<Record<string, number>> {
  const source = openSqliteDatabase({ path: sqlitePath })
  const target = openPostgresDatabase({ connectionString })
  try {
    for (const [name, db] of [
      ['SQLite store', source],
      ['PostgreSQL database', target],
    ] as const) {
      const result = await migrate(db, MIGRATIONS)
      if (result.error)
        throw new CopyFailedError(`Cannot migrate the ${name}: ${result.error.message}`, result.error)
    }
    return await copyStore(source, target)
  } finally {
    await source.close()
    await target.close()
  }
}

/**
 * Copies every row of a migrated store into another, empty, migrated store (SQLite to PostgreSQL),
 * in one transaction on the target: it has everything or nothing. Answers the rows copied per table.
 */
export async function copyStore(source: SqlDatabase, target: SqlDatabase): Promise<Record<string, number>> {
  const copied: Record<string, number> = {}
  await target.transaction(async (tx) => {
    for (const table of COPIED_TABLES) {
      const existing = await tx.get<{ found: number }>(`SELECT 1 AS found FROM ${table} LIMIT 1`)
      if (existing) throw new TargetNotEmptyError(table)
    }
    for (const table of COPIED_TABLES) {
      let batch: Record<string, SqlValue>[] = []
      copied[table] = 0
      for await (const row of source.iterate<Record<string, SqlValue>>(`SELECT * FROM ${table}`)) {
        batch.push(row)
        if (batch.length === BATCH_ROWS) {
          await insertRows(tx, table, batch)
          copied[table] += batch.length
          batch = []
        }
      }
      if (batch.length > 0) await insertRows(tx, table, batch)
      copied[table] += batch.length
    }
  })
  return copied
}

async function insertRows(
  tx: Parameters<Parameters<SqlDatabase['transaction']>[0]>[0],
  table: string,
  rows: readonly Record<string, SqlValue>[],
): Promise<void> {
  const columns = Object.keys(rows[0] as Record<string, SqlValue>)
  const tuple = `(${columns.map(() => '?').join(', ')})`
  await tx.run(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`,
    rows.flatMap((row) => columns.map((column) => row[column] ?? null)),
  )
}
