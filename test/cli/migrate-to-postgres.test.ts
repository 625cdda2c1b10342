import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { runCli, startServe, tempDir } from '../helpers/cli-process.ts'
import { apiGet, credentialsFromWelcome, tokenFor } from '../helpers/dev-credentials-http.ts'
import { createTestDatabase } from '../helpers/postgres.ts'

test('an embedded store moves to PostgreSQL whole, and its tokens keep working there', async (t) => {
  const cwd = await tempDir(t)
  const dataDir = join(cwd, 'data')
  const database = await createTestDatabase()
  t.after(() => database.drop())

  const sqliteServer = await startServe(t, { cwd, dataDir })
  const token = await tokenFor(sqliteServer.url, credentialsFromWelcome(sqliteServer.stderr()))
  const before = await (await apiGet(sqliteServer.url, '/api/publishers/contoso/offers', token)).text()
  await sqliteServer.stop()

  const wrongKey = await runCli(
    t,
    ['migrate-to-postgres', '--data-dir', dataDir, '--database-url', database.url],
    {
      cwd,
      env: { CLOUDPARTNER_MASTER_KEY: randomBytes(32).toString('base64') },
    },
  )
  assert.equal(wrongKey.code, 2)
  assert.match(wrongKey.stderr, /CLOUDPARTNER_MASTER_KEY is not the key of/)

  const copied = await runCli(
    t,
    ['migrate-to-postgres', '--data-dir', dataDir, '--database-url', database.url, '--json'],
    {
      cwd,
    },
  )
  assert.equal(copied.code, 0, copied.stderr)
  const counts = JSON.parse(copied.stdout) as Record<string, number>
  assert.equal(counts.publishers, 1)
  assert.equal(counts.offers, 4)
  assert.equal(counts.principals, 1)
  assert.equal(counts.publisher_grants, 1)
  assert.equal(counts.signing_keys, 1)

  const again = await runCli(
    t,
    ['migrate-to-postgres', '--data-dir', dataDir, '--database-url', database.url],
    { cwd },
  )
  assert.equal(again.code, 1)
  assert.match(again.stderr, /already holds data/)

  const masterKey = (await readFile(join(dataDir, 'master.key'), 'utf8')).trim()
  const postgresServer = await startServe(t, {
    cwd,
    dataDir: join(cwd, 'unused'),
    args: ['--database-url', database.url],
    env: { CLOUDPARTNER_MASTER_KEY: masterKey },
  })
  assert.doesNotMatch(
    postgresServer.stderr(),
    /First start/,
    'the copied store must not be bootstrapped again',
  )
  const after = await apiGet(postgresServer.url, '/api/publishers/contoso/offers', token)
  assert.equal(after.status, 200)
  assert.equal(await after.text(), before)
})
