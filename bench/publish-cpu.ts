import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { systemClock } from '../src/clock.ts'
import { migrate } from '../src/storage/migration.ts'
import { MIGRATIONS } from '../src/storage/migrations/index.ts'
import { openDatabase } from '../src/storage/open-database.ts'
import { createSqlStores } from '../src/stores.ts'
import { BENCH_PUBLISHER, inProcessPublisher } from './harness/in-process-publisher.ts'
import { createBenchDatabase } from './harness/postgres.ts'
import { cpuSecondsOf } from './harness/process-stats.ts'
import { publishableVmOffer } from './stores/offer-fixtures.ts'

/**
 * `node bench/publish-cpu.ts [--database-url postgres://…/postgres] [--cycles 300] [--rounds 5]`:
 * CPU time per publish-to-live cycle (instant profile), in one process through `app.inject`, one
 * cycle after another, each as the bench's pipelines run it (publish, poll the Location, go-live,
 * poll): this process's (the server's work without sockets and HTTP parsing, nor a load generator
 * beside it), and with a URL that of the PostgreSQL backends serving its connections (from /proc;
 * not the WAL writer's or the checkpointer's), on a database created for the run and dropped.
 * Without a URL, on SQLite in memory. Meant for before/after comparisons on a busy machine: run it
 * in two trees in turn and compare the best rounds (docs/performance.md, "Fourth round").
 */
const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    cycles: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '5' },
  },
})
const cycles = Number(values.cycles)
const rounds = Number(values.rounds)
const WARM_UP = 30
const bench = values['database-url'] ? await createBenchDatabase(values['database-url']) : undefined
const db = await openDatabase(
  bench ? { inMemory: false, dataDir: '', databaseUrl: bench.url } : { inMemory: true, dataDir: '' },
)
const migrated = await migrate(db, MIGRATIONS)
if (migrated.error) throw migrated.error
const stores = createSqlStores(db)
const { app, services, headers } = await inProcessPublisher(stores, systemClock)
try {
  const ids = Array.from({ length: WARM_UP + cycles * rounds }, (_, n) => `offer-${n}`)
  for (let start = 0; start < ids.length; start += 500) {
    await services.offerImport.importOffers(
      ids
        .slice(start, start + 500)
        .map((id) => publishableVmOffer(BENCH_PUBLISHER, id, '2026-11-20T08:30:15.1234567Z')),
    )
  }
  const call = async (method: 'GET' | 'POST', url: string): Promise<string | undefined> => {
    const response = await app.inject({ method, url, headers })
    if (response.statusCode >= 300)
      throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`)
    return response.headers.location as string | undefined
  }
  const cycle = async (offerId: string): Promise<void> => {
    const offer = `/api/publishers/${BENCH_PUBLISHER}/offers/${offerId}`
    await call('GET', (await call('POST', `${offer}/publish?api-version=2017-10-31`)) as string)
    await call('GET', (await call('POST', `${offer}/golive?api-version=2017-10-31`)) as string)
  }
  let next = 0
  for (; next < WARM_UP; next += 1) await cycle(ids[next] as string)
  const backends = async (): Promise<number[]> =>
    bench
      ? (
          await db.all<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')
        ).map((row) => Number(row.pid))
      : []
  const results: { process: number; postgres: number }[] = []
  for (let round = 1; round <= rounds; round += 1) {
    const pids = await backends()
    const postgresBefore = cpuOf(pids)
    const before = process.cpuUsage()
    for (let n = 0; n < cycles; n += 1, next += 1) await cycle(ids[next] as string)
    const used = process.cpuUsage(before)
    const postgres = cpuOf(pids) - postgresBefore
    const result = { process: (used.user + used.system) / cycles, postgres: (postgres * 1e6) / cycles }
    results.push(result)
    console.log(
      `round ${round}: ${cycles} cycles, CPU µs per cycle: this process ${result.process.toFixed(0)}, PostgreSQL backends ${result.postgres.toFixed(0)}`,
    )
  }
  const sorted = (pick: (r: { process: number; postgres: number }) => number) =>
    results.map(pick).sort((a, b) => a - b)
  const best = (values: number[]) => (values[0] ?? Number.NaN).toFixed(0)
  const median = (values: number[]) => (values[Math.floor(values.length / 2)] ?? Number.NaN).toFixed(0)
  const own = sorted((r) => r.process)
  const database = sorted((r) => r.postgres)
  console.log(
    `best / median: this process ${best(own)} / ${median(own)} µs, PostgreSQL ${best(database)} / ${median(database)} µs per cycle; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  )
} finally {
  await app.close()
  await stores.close()
  await bench?.drop()
}

/** CPU seconds (user + system) of processes by pid; those that ended count as 0. */
function cpuOf(pids: readonly number[]): number {
  let total = 0
  for (const pid of pids) {
    try {
      total += cpuSecondsOf(pid)
    } catch {
      // Gone: an idle connection the pool closed.
    }
  }
  return total
}
