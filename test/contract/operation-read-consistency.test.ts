import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { type TestContext, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import type { Operation } from '../../src/operations/operation.ts'
import { openStores, type Stores } from '../../src/stores.ts'
import { createTestDatabase } from '../helpers/postgres.ts'
import { T0 } from './open-fresh.ts'
import { publish, withOffers } from './operation-fixtures.ts'

/**
 * An operation is read as one version: its row and its steps together. Under load on PostgreSQL, two
 * workers raced and one read the operation's row before the other's transition committed and its
 * steps after: a running operation without a running step, on which the tick crashed
 * (`Cannot read properties of undefined (reading 'messages')` in finishCurrentStep). Here another
 * connection commits a transition exactly between the two reads, so a read in two statements fails
 * every time, on SQLite (through the reader connection) as on PostgreSQL (inside a transaction).
 */
const ID = '00000000-0000-4000-8000-000000000001'

/** A transition written by someone else: the first step completes and the operation fails. */
const OTHER_WRITER = [
  "UPDATE operations SET state = 'failed', next_due_time = NULL, row_version = 2 WHERE id = '%ID%'",
  "UPDATE operation_steps SET status = 'complete' WHERE operation_id = '%ID%' AND position = 0",
].map((sql) => sql.replace('%ID%', ID))

async function withOperation(stores: Stores): Promise<Operation> {
  await withOffers(stores, 'vm')
  const operation = publish('vm', ID, { notificationEmails: undefined, faults: [] }, new Date(T0))
  return stores.operations.insertOperation(operation)
}

function assertOneVersion(read: Operation | undefined): void {
  assert.ok(read)
  const first = read.steps[0]?.status
  if (read.rowVersion === 1) assert.equal(first, 'inProgress', 'version 1 with the steps of version 2')
  else assert.deepEqual([read.rowVersion, read.state, first], [2, 'failed', 'complete'])
}

async function onSqlite(t: TestContext): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cpp-read-consistency-'))
  const stores = await openStores({ inMemory: false, dataDir })
  const other = new DatabaseSync(join(dataDir, 'cloudpartner.sqlite'), { timeout: 5000 })
  t.after(async () => {
    other.close()
    await stores.close()
    rmSync(dataDir, { recursive: true, force: true })
  })
  await withOperation(stores)
  // The store's first statement runs before the call returns; the other connection then commits.
  const reading = stores.operations.findOperation(ID)
  other.exec(`BEGIN IMMEDIATE; ${OTHER_WRITER.join('; ')}; COMMIT`)
  assertOneVersion(await reading)
}

async function onPostgres(t: TestContext): Promise<void> {
  const database = await createTestDatabase()
  const stores = await openStores({ inMemory: false, dataDir: '', databaseUrl: database.url })
  const other = new pg.Client({ connectionString: database.url })
  await other.connect()
  t.after(async () => {
    await other.end()
    await stores.close()
    await database.drop()
  })
  await withOperation(stores)
  // The other writer holds the steps table, so a read of it waits, then sees what it committed.
  await other.query('BEGIN')
  await other.query('LOCK TABLE operation_steps IN ACCESS EXCLUSIVE MODE')
  const reading = stores.transaction((set) => set.operations.findOperation(ID))
  await untilSomeoneWaitsOnALock(other)
  for (const sql of OTHER_WRITER) await other.query(sql)
  await other.query('COMMIT')
  assertOneVersion(await reading)
}

async function untilSomeoneWaitsOnALock(client: pg.Client): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const { rows } = await client.query(
      "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    )
    if (rows.length > 0) return
    await sleep(10)
  }
  throw new Error('the read never waited for the steps table')
}

test('an operation is read as one version, its row and its steps, while another connection commits a transition', async (t) => {
  if (process.env.CLOUDPARTNER_TEST_STORE === 'postgres') await onPostgres(t)
  else await onSqlite(t)
})
