import type { SqlDatabase } from './database.ts'

/** A forward-only schema change. Never edit one that has been merged: add the next. */
export interface Migration {
  readonly id: number
  readonly name: string
  readonly sql: string
}

export interface MigrationResult {
  readonly applied: readonly string[]
  readonly error?: Error
}

/**
 * Applies the migrations not yet applied, each in its own transaction, in order. Never throws:
 * the caller decides how to report `{ applied, error }` (the CLI exits non-zero on an error).
 */
export async function migrate(db: SqlDatabase, migrations: readonly Migration[]): Promise<MigrationResult> {
  try {
    return await db.withLock('cloudpartner-migrations', () => migrateLocked(db, migrations))
  } catch (error) {
    return { applied: [], error: error as Error }
  }
}

async function migrateLocked(db: SqlDatabase, migrations: readonly Migration[]): Promise<MigrationResult> {
  const applied: string[] = []
  try {
    await db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_time TEXT NOT NULL)',
    )
    for (const migration of [...migrations].sort((a, b) => a.id - b.id)) {
      const didApply = await db.transaction(async (tx) => {
        // Checked inside the transaction, so two processes starting together apply it once.
        const done = await tx.get('SELECT id FROM schema_migrations WHERE id = ?', [migration.id])
        if (done) return false
        await tx.exec(migration.sql)
        await tx.run('INSERT INTO schema_migrations (id, name, applied_time) VALUES (?, ?, ?)', [
          migration.id,
          migration.name,
          new Date().toISOString(),
        ])
        return true
      })
      if (didApply) applied.push(`${migration.id}-${migration.name}`)
    }
    return { applied }
  } catch (error) {
    return { applied, error: error as Error }
  }
}

/** The highest migration id applied, or 0 on an empty database. */
export async function schemaVersion(db: SqlDatabase): Promise<number> {
  const row = await db.get<{ id: number | null }>('SELECT MAX(id) AS id FROM schema_migrations')
  return row?.id ?? 0
}
