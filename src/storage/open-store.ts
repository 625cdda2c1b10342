import { join } from 'node:path'
import type { Config } from '../config.ts'
import type { SqlDatabase } from './database.ts'
import { migrate } from './migration.ts'
import { MIGRATIONS } from './migrations/index.ts'
import { openPostgresDatabase } from './postgres-database.ts'
import { openSqliteDatabase } from './sqlite-database.ts'
import { createSqlStores, type Stores } from './stores.ts'

export type StoreConfig = Pick<Config, 'dataDir' | 'inMemory'> &
  Partial<Pick<Config, 'databaseUrl' | 'databasePoolSize' | 'databaseStatementTimeoutMs'>>

/** Opens the configured database (PostgreSQL when a URL is given, SQLite otherwise). */
export function openDatabase(config: StoreConfig): SqlDatabase {
  if (config.databaseUrl !== undefined) {
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
  const db = openDatabase(config)
  const result = await migrate(db, MIGRATIONS)
  if (result.error) {
    await db.close()
    throw new Error(`Database migration failed: ${result.error.message}`, { cause: result.error })
  }
  return createSqlStores(db)
}
