import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openSqliteDatabase } from '../../src/storage/sqlite/sqlite-database.ts'

test('SQLite: transactions and statements started in the same tick wait for each other', async (t) => {
  const db = openSqliteDatabase({ memory: true })
  t.after(() => db.close())
  await db.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)')
  await db.run('INSERT INTO counter (id, value) VALUES (1, 0)')
  const increment = () =>
    db.transaction(async (tx) => {
      const row = await tx.get<{ value: number }>('SELECT value FROM counter WHERE id = 1')
      await new Promise((resolve) => setImmediate(resolve))
      await tx.run('UPDATE counter SET value = ? WHERE id = 1', [(row?.value ?? 0) + 1])
    })
  const failing = db.transaction(async () => {
    throw new Error('rolled back')
  })
  await Promise.all([
    increment(),
    increment(),
    assert.rejects(failing, /rolled back/),
    db.run('UPDATE counter SET value = value + 10 WHERE id = 1'),
    increment(),
  ])
  assert.equal((await db.get<{ value: number }>('SELECT value FROM counter WHERE id = 1'))?.value, 13)
})
