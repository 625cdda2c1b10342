import assert from 'node:assert/strict'
import { fork } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { openSqliteDatabase } from '../../src/storage/sqlite/sqlite-database.ts'
import { tempDir } from '../helpers/cli-process.ts'

const HOLDER = fileURLToPath(new URL('../helpers/processes/sqlite-holder-child.ts', import.meta.url))
/** Long enough for this process to be waiting on the lock well before the holder commits. */
const HOLD_MS = 1500

/**
 * On SQLite, a transaction begins IMMEDIATE: it takes the file's one write lock before its first
 * read, so a transaction of another process that begins meanwhile waits for it to commit, then reads
 * what it wrote. The publishing worker reads an operation and stores its transition in one such
 * transaction, which is why, on SQLite, its row version and lease cannot change the outcome of a
 * race between two processes (test/api/operations-worker.test.ts says more); this is the property
 * that makes it so, held to across processes. With `BEGIN` (deferred) instead, this process reads
 * the counter before the holder's write, and its own write then fails (SQLITE_BUSY_SNAPSHOT) or, with
 * the holder's lost, leaves 1.
 */
test('SQLite: a transaction of another process waits for an open one, then reads what it wrote', async (t) => {
  const path = join(await tempDir(t), 'store.db')
  const db = openSqliteDatabase({ path })
  t.after(() => db.close())
  await db.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)')
  await db.run('INSERT INTO counter (id, value) VALUES (1, 0)')

  const holder = fork(HOLDER, [path, String(HOLD_MS)], { execArgv: process.execArgv })
  const exited = new Promise((resolve) => holder.once('exit', resolve))
  t.after(() => {
    holder.kill('SIGKILL')
  })
  const messages: { type: string; read?: number }[] = []
  const holding = new Promise<void>((resolve) =>
    holder.on('message', (message: { type: string; read?: number }) => {
      messages.push(message)
      if (message.type === 'holding') resolve()
    }),
  )
  await holding
  // The holder has read the counter and keeps its transaction open: this one begins now.
  const read = await db.transaction(async (tx) => {
    const row = await tx.get<{ value: number }>('SELECT value FROM counter WHERE id = 1')
    await tx.run('UPDATE counter SET value = ? WHERE id = 1', [(row?.value ?? 0) + 1])
    return row?.value
  })
  await exited

  assert.equal(read, 1, 'this transaction read the counter before the holder committed')
  assert.equal((await db.get<{ value: number }>('SELECT value FROM counter WHERE id = 1'))?.value, 2)
  assert.deepEqual(
    messages.map((message) => message.type),
    ['holding', 'committed'],
  )
})
