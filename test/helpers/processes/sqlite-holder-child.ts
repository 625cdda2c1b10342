import { setTimeout as sleep } from 'node:timers/promises'
import { openSqliteDatabase } from '../../../src/storage/sqlite/sqlite-database.ts'

/**
 * Holds a transaction open on an SQLite file, in a process of its own, as a worker or a request of
 * another replica would: it reads the counter, says so, keeps the transaction open for `holdMs`,
 * then writes the counter plus one and commits (test/process/sqlite-write-lock.test.ts).
 */
const [path, holdMs] = process.argv.slice(2) as [string, string]
const db = openSqliteDatabase({ path })
await db.transaction(async (tx) => {
  const row = await tx.get<{ value: number }>('SELECT value FROM counter WHERE id = 1')
  process.send?.({ type: 'holding', read: row?.value })
  await sleep(Number(holdMs))
  await tx.run('UPDATE counter SET value = ? WHERE id = 1', [(row?.value ?? 0) + 1])
})
process.send?.({ type: 'committed' })
await db.close()
process.disconnect()
