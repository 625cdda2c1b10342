import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { type TestContext, test } from 'node:test'
import { openStores, type Stores } from '../../src/stores.ts'
import { runCli, tempDir } from '../helpers/cli-process.ts'
import { createTestDatabase } from '../helpers/postgres.ts'
import { API, startTestApp, type TestApp } from '../helpers/test-app.ts'

/**
 * Who a token is and what it may reach are cached per replica (auth/access-cache.ts) while the
 * store's access revision holds. A grant revoked or a principal deleted by another process, the
 * CLI, must still be refused on the very next request: the revision is read on every request.
 * The app runs in this process; the CLI writes the same database (a SQLite file, or PostgreSQL
 * under CLOUDPARTNER_TEST_STORE=postgres).
 */
const POSTGRES = process.env.CLOUDPARTNER_TEST_STORE === 'postgres'

interface SharedStore {
  readonly stores: Stores
  readonly masterKey: Buffer
  /** Runs a `cloudpartner` command on the same database, as another process. */
  cli(...args: string[]): Promise<void>
}

async function sharedStore(t: TestContext): Promise<SharedStore> {
  const dir = await tempDir(t)
  const masterKey = randomBytes(32)
  const env = { CLOUDPARTNER_MASTER_KEY: masterKey.toString('base64') }
  let location: string[]
  let stores: Stores
  if (POSTGRES) {
    const database = await createTestDatabase()
    stores = await openStores({ inMemory: false, dataDir: '', databaseUrl: database.url })
    t.after(() => database.drop())
    location = ['--database-url', database.url]
  } else {
    const dataDir = join(dir, 'data')
    stores = await openStores({ inMemory: false, dataDir })
    location = ['--data-dir', dataDir]
  }
  // Registered first, so that it runs after the app (closed by startTestApp) has closed.
  t.after(() => stores.close())
  return {
    stores,
    masterKey,
    async cli(...args) {
      const result = await runCli(t, [...args, ...location], { cwd: dir, env })
      assert.equal(result.code, 0, `cloudpartner ${args.join(' ')}: ${result.stderr}`)
    },
  }
}

async function granted(t: TestContext) {
  const shared = await sharedStore(t)
  const app: TestApp = await startTestApp(t, { stores: shared.stores, masterKey: shared.masterKey })
  await app.createPublisher('fabrikam')
  const principal = await app.createPrincipal()
  await app.grant(principal, 'fabrikam', 'Contributor')
  const token = await app.tokenFor(principal)
  const list = async () =>
    (
      await app.app.inject({
        method: 'GET',
        url: `/api/publishers/fabrikam/offers${API}`,
        headers: { authorization: `Bearer ${token}` },
      })
    ).statusCode
  // Twice: the second answer comes from what the first cached.
  assert.equal(await list(), 200)
  const missesBefore = app.services.accessCache.misses
  assert.equal(await list(), 200)
  assert.equal(
    app.services.accessCache.misses,
    missesBefore,
    'the second request read nothing but the revision',
  )
  return { ...shared, app, principal, list }
}

test('a grant revoked by another process is refused on the very next request', async (t) => {
  const { cli, principal, list } = await granted(t)
  await cli('principals', 'revoke', principal.clientId, 'fabrikam')
  assert.equal(await list(), 403)
  await cli('principals', 'grant', principal.clientId, 'fabrikam')
  assert.equal(await list(), 200, 'and a grant given back is honoured as soon')
})

test('a principal deleted by another process is refused on the very next request', async (t) => {
  const { cli, principal, list } = await granted(t)
  await cli('principals', 'delete', principal.clientId)
  assert.equal(await list(), 403, 'a valid token of an unregistered application reaches no publisher')
})
