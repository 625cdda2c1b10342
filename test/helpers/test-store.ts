import type { Stores } from '../../src/stores.ts'
import { openStores } from '../../src/stores.ts'
import { createTestDatabase } from './postgres.ts'

/**
 * The store the API tests run on: SQLite in memory by default, or a fresh PostgreSQL database when
 * CLOUDPARTNER_TEST_STORE=postgres (`npm test` runs the API suites both ways). `dispose` closes the
 * store and drops the database; call it after the app has closed.
 */
export async function openTestStores(): Promise<{ stores: Stores; dispose(): Promise<void> }> {
  if (testStoreBackend() === 'postgres') {
    const database = await createTestDatabase()
    const stores = await openStores({ inMemory: false, dataDir: '', databaseUrl: database.url })
    return {
      stores,
      dispose: async () => {
        await stores.close()
        await database.drop()
      },
    }
  }
  const stores = await openStores({ inMemory: true, dataDir: '' })
  return { stores, dispose: () => stores.close() }
}

export function testStoreBackend(): 'sqlite' | 'postgres' {
  const backend = process.env.CLOUDPARTNER_TEST_STORE ?? 'sqlite'
  if (backend !== 'sqlite' && backend !== 'postgres') {
    throw new Error(`CLOUDPARTNER_TEST_STORE must be sqlite or postgres, not ${backend}`)
  }
  return backend
}
