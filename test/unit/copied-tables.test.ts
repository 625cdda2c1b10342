import assert from 'node:assert/strict'
import { test } from 'node:test'
import { COPIED_TABLES } from '../../src/storage/copy-store.ts'
import { migrate } from '../../src/storage/migration.ts'
import { MIGRATIONS } from '../../src/storage/migrations/index.ts'
import { openSqliteDatabase } from '../../src/storage/sqlite/sqlite-database.ts'

test('migrate-to-postgres copies every table the migrations create', async (t) => {
  const db = openSqliteDatabase({ memory: true })
  t.after(() => db.close())
  await migrate(db, MIGRATIONS)
  const tables = await db.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'",
  )
  assert.deepEqual(
    tables.map((table) => table.name).sort(),
    [...COPIED_TABLES].sort(),
    'a migration added or removed a table: update COPIED_TABLES in src/storage/copy-store.ts (parents first)',
  )
})
