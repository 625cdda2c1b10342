import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DatabaseLocation } from '../../src/storage/open-database.ts'
import { openStores, type StoreObservers, type Stores } from '../../src/stores.ts'
import { createTestDatabase } from './postgres.ts'

/** A store backend the tests run on. `open` gives a fresh, migrated, empty store. */
export interface Backend {
  readonly name: string
  /** `observers`: the app's telemetry, as the server opens its store with it. */
  open(observers?: StoreObservers): Promise<OpenedStore>
}

export interface OpenedStore {
  readonly stores: Stores
  /** Where the store is, for another process or connection to open it too (not in memory). */
  readonly location: DatabaseLocation
  dispose(): Promise<void>
}

/**
 * The one switch of the tests' backend: CLOUDPARTNER_TEST_STORE=sqlite (the default) or postgres;
 * `npm test` runs the suites once on each (test:sqlite, test:postgres). The store contract runs on
 * every backend of the database chosen (SQLite in memory and in a file, or PostgreSQL); the app
 * tests on the first. A new backend plugs in with an entry here.
 */
const BACKENDS: Readonly<Record<'sqlite' | 'postgres', readonly Backend[]>> = {
  sqlite: [
    {
      name: 'sqlite-memory',
      open: async (observers) => {
        const location = { inMemory: true, dataDir: '' }
        const stores = await openStores(location, observers)
        return { stores, location, dispose: () => stores.close() }
      },
    },
    {
      name: 'sqlite-file',
      open: async (observers) => {
        const dataDir = mkdtempSync(join(tmpdir(), 'cpp-contract-'))
        const location = { inMemory: false, dataDir }
        const stores = await openStores(location, observers)
        return {
          stores,
          location,
          dispose: async () => {
            await stores.close()
            rmSync(dataDir, { recursive: true, force: true })
          },
        }
      },
    },
  ],
  postgres: [
    {
      name: 'postgres',
      open: async (observers) => {
        const database = await createTestDatabase()
        const location = { inMemory: false, dataDir: '', databaseUrl: database.url }
        const stores = await openStores(location, observers)
        return {
          stores,
          location,
          dispose: async () => {
            await stores.close()
            await database.drop()
          },
        }
      },
    },
  ],
}

export function testBackends(env: NodeJS.ProcessEnv = process.env): readonly Backend[] {
  const database = env.CLOUDPARTNER_TEST_STORE ?? 'sqlite'
  if (database !== 'sqlite' && database !== 'postgres') {
    throw new Error(`CLOUDPARTNER_TEST_STORE must be sqlite or postgres, not ${database}`)
  }
  return BACKENDS[database]
}

/**
 * The store an app test runs on: the first backend of the database under test. `dispose` closes the
 * store and drops its database; call it after the app has closed.
 */
export function openTestStores(observers?: StoreObservers): Promise<OpenedStore> {
  return (testBackends()[0] as Backend).open(observers)
}

/**
 * A store other processes can open too: SQLite in a file (its data directory), or PostgreSQL. For
 * the tests that race processes, or connections, over one store.
 */
export function openSharedTestStores(observers?: StoreObservers): Promise<OpenedStore> {
  const shared = testBackends().find((backend) => backend.name !== 'sqlite-memory') as Backend
  return shared.open(observers)
}
