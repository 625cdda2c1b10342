import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { MIGRATIONS } from '../../src/storage/migrations/index.ts'
import { openSqliteDatabase } from '../../src/storage/sqlite/sqlite-database.ts'
import { REPO_ROOT } from '../harness/processes.ts'
import { type StorePlan, seedStore } from './seed-store.ts'

/** Git-ignored: seeded stores survive between runs, and the bench rebuilds any that is missing. */
export const BENCH_DIR = join(REPO_ROOT, '.bench')
const COMPLETE = 'seeded'

/**
 * The data directory of a seeded SQLite store, built on first use. The key includes the schema
 * version, so a new migration means a new store rather than a migration timed as start-up.
 */
export async function cachedStore(
  plan: StorePlan,
  options: { rebuild: boolean; log: (line: string) => void },
): Promise<string> {
  const schema = Math.max(...MIGRATIONS.map((migration) => migration.id))
  const dir = join(BENCH_DIR, 'stores', `${plan.name}-schema${schema}`)
  if (!options.rebuild && existsSync(join(dir, COMPLETE))) return dir
  rmSync(dir, { recursive: true, force: true })
  const building = `${dir}.building`
  rmSync(building, { recursive: true, force: true })
  mkdirSync(building, { recursive: true })
  const started = performance.now()
  const db = openSqliteDatabase({ path: join(building, 'cloudpartner.sqlite') })
  let offers: number
  try {
    offers = await seedStore(db, plan)
  } finally {
    await db.close()
  }
  writeFileSync(join(building, COMPLETE), `${new Date().toISOString()}\n`)
  renameSync(building, dir)
  options.log(
    `seeded ${plan.name}: ${offers} offers in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
  return dir
}

/** A private copy of a cached store, for benchmarks that write. */
export function copyStore(dir: string, into: string): string {
  cpSync(dir, into, { recursive: true })
  return into
}
