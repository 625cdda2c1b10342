import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { type TestContext, test } from 'node:test'
import { openSqliteDatabase } from '../../src/storage/sqlite/sqlite-database.ts'

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

/** A database file, and a second connection to it that sees only what was committed. */
async function fileWithObserver(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'cloudpartner-group-commit-'))
  const path = join(dir, 'store.db')
  const db = openSqliteDatabase({ path })
  await db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)')
  const observer = new DatabaseSync(path, { readOnly: true })
  t.after(async () => {
    observer.close()
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const committed = () => (observer.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n
  return { db, committed }
}

test('SQLite: units of work that arrive while one runs commit together, and each caller hears back after that commit', async (t) => {
  const { db, committed } = await fileWithObserver(t)
  const seen = new Set<number>()
  let sampling = true
  const sampler = (async () => {
    while (sampling) {
      seen.add(committed())
      await nextTurn()
    }
  })()
  const units = Array.from({ length: 20 }, (_, index) =>
    db
      .transaction(async (tx) => {
        await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [index, `item ${index}`])
        await nextTurn()
        return index
      })
      .then((value) => {
        // The caller hears back only once its work is visible to another connection: committed.
        assert.equal(committed(), 20)
        return value
      }),
  )
  assert.deepEqual(await Promise.all(units), [...Array(20).keys()])
  sampling = false
  await sampler
  assert.ok(
    [...seen].every((count) => count === 0 || count === 20),
    `never a part of the units committed; saw ${[...seen].join(', ')}`,
  )
  assert.equal(committed(), 20)
})

test('SQLite: a unit that fails in a shared commit is undone alone; the others commit', async (t) => {
  const { db, committed } = await fileWithObserver(t)
  const insert = (id: number, name: string) =>
    db.transaction(async (tx) => {
      await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [id, `${name} (first)`])
      await nextTurn()
      await tx.run('UPDATE items SET name = ? WHERE id = ?', [name, id])
      return id
    })
  const failing = db.transaction(async (tx) => {
    await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [100, 'written, then undone'])
    await nextTurn()
    throw new Error('this unit fails')
  })
  // A unique violation inside a unit: SQLite undoes the statement, the unit undoes the rest.
  const duplicate = db.transaction(async (tx) => {
    await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [200, 'twice'])
    await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [201, 'twice'])
  })
  // One transaction for all five, in the order they were asked for: failing, duplicate, the inserts.
  const results = await Promise.allSettled([
    failing,
    insert(1, 'one'),
    duplicate,
    insert(2, 'two'),
    insert(3, 'three'),
  ])
  assert.deepEqual(
    results.map((result) => result.status),
    ['rejected', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
  )
  assert.match(String((results[0] as PromiseRejectedResult).reason), /this unit fails/)
  assert.match(String((results[2] as PromiseRejectedResult).reason), /UNIQUE/)
  assert.equal(committed(), 3)
  assert.deepEqual(
    (await db.all<{ id: number; name: string }>('SELECT id, name FROM items ORDER BY id')).map((row) => [
      row.id,
      row.name,
    ]),
    [
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ],
  )
})

test('SQLite: on a file, reads outside transactions do not wait for an open group and see only what was committed', async (t) => {
  const { db } = await fileWithObserver(t)
  const writes = Array.from({ length: 5 }, (_, index) =>
    db.transaction(async (tx) => {
      await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [index, `item ${index}`])
      await nextTurn()
    }),
  )
  const count = async () => (await db.get<{ n: number }>('SELECT count(*) AS n FROM items'))?.n
  assert.equal(await count(), 0, 'answered while the group is open, from what was committed')
  await Promise.all(writes)
  assert.equal(await count(), 5)
})

test('SQLite: in memory (one connection), reads outside transactions wait for the group and then see all of it', async (t) => {
  const db = openSqliteDatabase({ memory: true })
  t.after(() => db.close())
  await db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)')
  const writes = Array.from({ length: 5 }, (_, index) =>
    db.transaction(async (tx) => {
      await nextTurn()
      await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [index, `item ${index}`])
    }),
  )
  const counted = db.get<{ n: number }>('SELECT count(*) AS n FROM items')
  await Promise.all(writes)
  assert.equal((await counted)?.n, 5)
})
