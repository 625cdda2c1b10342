import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { openStores, type Stores } from '../../src/stores.ts'
import { createTestDatabase } from './postgres.ts'

/**
 * Two stores over one database, each with its own connections, as two processes would have them:
 * a SQLite file (the server and the CLI on one machine) or, under CLOUDPARTNER_TEST_STORE=postgres,
 * one PostgreSQL database (two replicas). Closed, and the database removed, when the test ends;
 * register them before an app that uses one, so that they close after it.
 */
export async function openSharedDatabase(t: TestContext): Promise<[Stores, Stores]> {
  if (process.env.CLOUDPARTNER_TEST_STORE === 'postgres') {
    const database = await createTestDatabase()
    const location = { inMemory: false, dataDir: '', databaseUrl: database.url }
    const first = await openStores(location)
    const second = await openStores(location)
    t.after(async () => {
      await Promise.all([first.close(), second.close()])
      await database.drop()
    })
    return [first, second]
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'cpp-shared-'))
  const first = await openStores({ inMemory: false, dataDir })
  const second = await openStores({ inMemory: false, dataDir })
  t.after(async () => {
    await Promise.all([first.close(), second.close()])
    rmSync(dataDir, { recursive: true, force: true })
  })
  return [first, second]
}
