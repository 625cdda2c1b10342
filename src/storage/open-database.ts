import { join } from 'node:path'
import type { Config } from '../config.ts'
import { createSqlStores, type Stores } from '../stores.ts'
import type { SqlDatabase } from './database.ts'
import { migrate } from './migration.ts'
import { MIGRATIONS } from './migrations/index.ts'
import { openSqliteDatabase } from './sqlite/sqlite-database.ts'

export type StoreConfig = Pick<Config, 'dataDir' | 'inMemory'> &
  Partial<Pick<Config, 'databaseUrl' | 'databasePoolSize' | 'databaseStatementTimeoutMs'>>

/**
 * Opens the configured database (PostgreSQL when a URL is given, SQLite otherwise). The `pg` driver
 * is loaded only for a PostgreSQL URL: a SQLite server does not carry it in its memory.
 */
export async function openDatabase(config: StoreConfig): Promise<SqlDatabase> {
  if (config.databaseUrl !== undefined) {
    const { openPostgresDatabase } = await import('./postgres/postgres-database.ts')
    return openPostgresDatabase({
      connectionString: config.databaseUrl,
      ...(config.databasePoolSize === undefined ? {} : { maxConnections: config.databasePoolSize }),
      ...(config.databaseStatementTimeoutMs === undefined
        ? {}
        : { statementTimeoutMs: config.databaseStatementTimeoutMs }),
    })
  }
  return config.inMemory
    ? openSqliteDatabase({ memory: true })
    : openSqliteDatabase({ path: join(config.dataDir, 'cloudpartner.sqlite') })
}

/** Opens the configured store and brings its schema up to date. */
export async function openStores(config: StoreConfig): Promise<Stores> {
  const db = await openDatabase(config)
  const result = await migrate(db, MIGRATIONS)
  if (result.error) {
    await db.close()
    throw new Error(`Database migration failed: ${result.error.message}`, { cause: result.error })
  }
  return createSqlStores(db)
}
