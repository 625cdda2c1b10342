import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { buildApp } from '../../src/app.ts'
import { systemClock } from '../../src/clock.ts'
import { loadConfig } from '../../src/config.ts'
import { createServices } from '../../src/services.ts'
import { migrate } from '../../src/storage/migration.ts'
import { MIGRATIONS } from '../../src/storage/migrations/index.ts'
import { openSqliteDatabase } from '../../src/storage/sqlite/sqlite-database.ts'
import { createSqlStores } from '../../src/stores.ts'
import { startTestApp } from '../helpers/test-app.ts'

test('liveness and readiness answer without a token', async (t) => {
  const ctx = await startTestApp(t)
  for (const url of ['/health/live', '/health/ready']) {
    const response = await ctx.app.inject({ url })
    assert.equal(response.statusCode, 200, url)
    assert.deepEqual(response.json(), { status: 'ok' })
  }
})

test('readiness reports a store that is not migrated, then one that does not answer', async (t) => {
  const db = openSqliteDatabase({ memory: true })
  await migrate(db, MIGRATIONS)
  const stores = createSqlStores(db)
  const config = loadConfig({}, { 'in-memory': true, 'log-level': 'silent' })
  const clock = systemClock
  const services = createServices({ stores, clock, config, masterKey: randomBytes(32) })
  const app = await buildApp({ config, stores, services, clock })
  t.after(() => app.close())

  // As if the database had been restored from before the latest migration.
  await db.run('DELETE FROM schema_migrations')
  const behind = await app.inject({ url: '/health/ready' })
  assert.equal(behind.statusCode, 503)
  assert.match(behind.json().message, /schema is at version 0; this server needs \d+/)

  await db.close()
  const closed = await app.inject({ url: '/health/ready' })
  assert.equal(closed.statusCode, 503)
  assert.deepEqual(closed.json(), { status: 'unavailable', message: 'The store is not available.' })
  assert.equal((await app.inject({ url: '/health/live' })).statusCode, 200)
})
