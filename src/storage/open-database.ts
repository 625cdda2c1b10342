import { join } from 'node:path'
import type { SqlDatabase } from './database.ts'
import { openSqliteDatabase } from './sqlite/sqlite-database.ts'

/**
 * Where the database is: the settings of src/config.ts that choose and open it, written out here so
 * that the drivers depend on nothing above them (a Config has them all).
 */
export interface DatabaseLocation {
  readonly dataDir: string
  readonly inMemory: boolean
  /** PostgreSQL instead of SQLite. */
  readonly databaseUrl?: string | undefined
  readonly databasePoolSize?: number | undefined
  readonly databaseStatementTimeoutMs?: number | undefined
}

/**
 * Opens the configured database (PostgreSQL when a URL is given, SQLite otherwise). The `pg` driver
 * is loaded only for a PostgreSQL URL: a SQLite server does not carry it in its memory.
 */
export async function openDatabase(location: DatabaseLocation): Promise<SqlDatabase> {
  if (location.databaseUrl !== undefined) {
    const { openPostgresDatabase } = await import('./postgres/postgres-database.ts')
    return openPostgresDatabase({
      connectionString: location.databaseUrl,
      ...(location.databasePoolSize === undefined ? {} : { maxConnections: location.databasePoolSize }),
      ...(location.databaseStatementTimeoutMs === undefined
        ? {}
        : { statementTimeoutMs: location.databaseStatementTimeoutMs }),
    })
  }
  return location.inMemory
    ? openSqliteDatabase({ memory: true })
    : openSqliteDatabase({ path: join(location.dataDir, 'cloudpartner.sqlite') })
}
