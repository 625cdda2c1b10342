import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Stores } from '../../src/stores.ts'
import { openStores } from '../../src/stores.ts'
import { createTestDatabase } from '../helpers/postgres.ts'

/** A store backend the contract suite runs against. `open` gives a fresh, migrated, empty store. */
export interface Backend {
  readonly name: string
  open(): Promise<{ stores: Stores; dispose(): Promise<void> }>
}

/** Every backend; a new one plugs in with one line here. STORE_BACKENDS=a,b narrows the run. */
const ALL_BACKENDS: readonly Backend[] = [
  {
    name: 'sqlite-memory',
    open: async () => {
      const stores = await openStores({ inMemory: true, dataDir: '' })
      return { stores, dispose: () => stores.close() }
    },
  },
  {
    name: 'sqlite-file',
    open: async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'cpp-contract-'))
      const stores = await openStores({ inMemory: false, dataDir })
      return {
        stores,
        dispose: async () => {
          await stores.close()
          rmSync(dataDir, { recursive: true, force: true })
        },
      }
    },
  },
  {
    name: 'postgres',
    open: async () => {
      const database = await createTestDatabase()
      const stores = await openStores({ inMemory: false, dataDir: '', databaseUrl: database.url })
      return {
        stores,
        dispose: async () => {
          await stores.close()
          await database.drop()
        },
      }
    },
  },
]

export function selectedBackends(env: NodeJS.ProcessEnv = process.env): readonly Backend[] {
  const wanted = env.STORE_BACKENDS?.split(',').map((name) => name.trim())
  if (!wanted) return ALL_BACKENDS
  const unknown = wanted.filter((name) => !ALL_BACKENDS.some((backend) => backend.name === name))
  if (unknown.length > 0) throw new Error(`Unknown STORE_BACKENDS: ${unknown.join(', ')}`)
  return ALL_BACKENDS.filter((backend) => wanted.includes(backend.name))
}
