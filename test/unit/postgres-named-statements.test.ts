import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openPostgresDatabase } from '../../src/storage/postgres/postgres-database.ts'
import { createTestDatabase } from '../helpers/postgres.ts'

test('PostgreSQL: statements are prepared once per connection by name, except those that select *', async (t) => {
  const database = await createTestDatabase()
  const db = openPostgresDatabase({ connectionString: database.url, maxConnections: 1 })
  t.after(async () => {
    await db.close()
    await database.drop()
  })
  await db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)')
  const prepared = async () =>
    (
      await db.all<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY statement')
    ).map((row) => row.statement)
  await db.run('INSERT INTO items (id, name) VALUES (?, ?)', [1, 'one'])
  await db.run('INSERT INTO items (id, name) VALUES (?, ?)', [2, 'two'])
  assert.deepEqual(await db.all('SELECT name FROM items WHERE id = ?', [2]), [{ name: 'two' }])
  assert.equal((await db.all('SELECT * FROM items WHERE id = ?', [1])).length, 1)
  const statements = await prepared()
  assert.ok(statements.includes('INSERT INTO items (id, name) VALUES ($1, $2)'), statements.join('\n'))
  assert.ok(statements.includes('SELECT name FROM items WHERE id = $1'), statements.join('\n'))
  assert.ok(!statements.some((statement) => statement.includes('*')), 'SELECT * stays unnamed')

  // A column added later (a rolling upgrade's migration) does not break the statements already prepared.
  await db.exec('ALTER TABLE items ADD COLUMN note TEXT')
  assert.deepEqual(await db.all('SELECT name FROM items WHERE id = ?', [1]), [{ name: 'one' }])
  assert.deepEqual(Object.keys((await db.get('SELECT * FROM items WHERE id = ?', [1])) ?? {}), [
    'id',
    'name',
    'note',
  ])
})
