import type { SqlQueryable } from './database.ts'

/** Counters of migration 8; one name per kind of change a cache depends on. */
export type ChangeCounter = 'access'

/**
 * Increments the counter. Call it inside the transaction of the writes it counts: whoever reads
 * the new value then also sees those writes, and whoever reads the old one never saw them.
 */
export async function bumpChangeCounter(db: SqlQueryable, name: ChangeCounter): Promise<void> {
  await db.run(
    `INSERT INTO change_counters (name, value) VALUES (?, 1)
     ON CONFLICT (name) DO UPDATE SET value = change_counters.value + 1`,
    [name],
  )
}

/** The counter's value; 0 before its first increment. One primary-key read. */
export async function readChangeCounter(db: SqlQueryable, name: ChangeCounter): Promise<number> {
  const row = await db.get<{ value: number | string }>('SELECT value FROM change_counters WHERE name = ?', [
    name,
  ])
  // PostgreSQL's BIGINT arrives as a string.
  return row === undefined ? 0 : Number(row.value)
}
