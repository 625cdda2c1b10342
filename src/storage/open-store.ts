import { join } from 'node:path'
import type { Config } from '../config.ts'
import { migrate } from './migration.ts'
import { MIGRATIONS } from './migrations/index.ts'
import { openSqliteDatabase } from './sqlite-database.ts'
import { createSqlStores, type Stores } from './stores.ts'

/** Opens the configured store and brings its schema up to date. */
export async function openStores(config: Pick<Config, 'dataDir' | 'inMemory'>): Promise<Stores> {
  const db = config.inMemory
    ? openSqliteDatabase({ memory: true })
    : openSqliteDatabase({ path: join(config.dataDir, 'cloudpartner.sqlite') })
  const result = await migrate(db, MIGRATIONS)
  if (result.error) {
    await db.close()
    throw new Error(`Database migration failed: ${result.error.message}`, { cause: result.error })
  }
  return createSqlStores(db)
}
