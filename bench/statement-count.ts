import { parseArgs } from 'node:util'
import { manualClock } from '../src/clock.ts'
import type { SqlDatabase, SqlQueryable } from '../src/storage/database.ts'
import { migrate } from '../src/storage/migration.ts'
import { MIGRATIONS } from '../src/storage/migrations/index.ts'
import { openDatabase } from '../src/storage/open-database.ts'
import { createSqlStores } from '../src/stores.ts'
import { BENCH_PUBLISHER, inProcessPublisher } from './harness/in-process-publisher.ts'
import { publishableVmOffer } from './stores/offer-fixtures.ts'

/**
 * `node bench/statement-count.ts [--database-url postgres://…] [--poll location]`: the SQL
 * statements each call of a publish-to-live cycle makes (instant profile), counted at the driver,
 * by text. On PostgreSQL each statement is a round trip; fewer statements per cycle is what rounds
 * 3 and 4 set out to get (docs/performance.md). Without a URL, on SQLite in memory. A poll asks for
 * the offer's status (E5) by default; `--poll location` follows the operation's Location instead,
 * as the bench's pipelines do (bench/harness/publish-driver.ts).
 */
const { values } = parseArgs({
  options: { 'database-url': { type: 'string' }, poll: { type: 'string', default: 'status' } },
})
if (values.poll !== 'status' && values.poll !== 'location') throw new Error('--poll: status or location')
const url = values['database-url']
const raw = await openDatabase(
  url === undefined ? { inMemory: true, dataDir: '' } : { inMemory: false, dataDir: '', databaseUrl: url },
)
const result = await migrate(raw, MIGRATIONS)
if (result.error) throw result.error
const counts = new Map<string, number>()
/** Units of work: on PostgreSQL each adds a BEGIN and a COMMIT round trip to its statements. */
let transactions = 0
const counted = <Db extends SqlQueryable>(db: Db, outermost = true): Db =>
  new Proxy(db, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (property === 'transaction') {
        return <T>(work: (tx: SqlQueryable) => Promise<T>) => {
          if (outermost) transactions += 1
          return target.transaction((tx) => work(counted(tx, false)))
        }
      }
      if (['all', 'get', 'run', 'iterate'].includes(property as string)) {
        return (sql: string, params?: unknown) => {
          const text = sql.replace(/\s+/g, ' ').trim().slice(0, 90)
          counts.set(text, (counts.get(text) ?? 0) + 1)
          return (value as (sql: string, params?: unknown) => unknown).call(target, sql, params)
        }
      }
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
const stores = createSqlStores(counted(raw as SqlDatabase))
const {
  app,
  services,
  headers: auth,
} = await inProcessPublisher(stores, manualClock(new Date('2026-11-21T10:00:00.000Z')))
try {
  await services.offerImport.importOffers([
    publishableVmOffer(BENCH_PUBLISHER, 'offer-1', '2026-11-20T08:30:15.1234567Z'),
  ])
  const base = `/api/publishers/${BENCH_PUBLISHER}/offers/offer-1`
  const calls: ['publish' | 'go-live' | 'poll', 'GET' | 'POST', string][] = [
    ['publish', 'POST', `${base}/publish?api-version=2017-10-31`],
    ['poll', 'GET', `${base}/status?api-version=2017-10-31`],
    ['go-live', 'POST', `${base}/golive?api-version=2017-10-31`],
    ['poll', 'GET', `${base}/status?api-version=2017-10-31`],
  ]
  // Once first, so that what a replica caches (the token, the caller's access) is cached, as it is
  // for a pipeline's every call but its first.
  await app.inject({ url: `/api/publishers/${BENCH_PUBLISHER}/offers?api-version=2017-10-31`, headers: auth })
  let total = 0
  let location: string | undefined
  let units = 0
  for (const [name, method, path] of calls) {
    counts.clear()
    transactions = 0
    const response = await app.inject({
      method,
      url: name === 'poll' && values.poll === 'location' ? (location as string) : path,
      headers: { ...auth, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
      ...(method === 'POST' ? { payload: '{"metadata":{"notification-emails":"a@example.com"}}' } : {}),
    })
    if (method === 'POST') location = response.headers.location as string
    const n = [...counts.values()].reduce((a, b) => a + b, 0)
    total += n
    units += transactions
    console.log(`\n${name}: ${response.statusCode}, ${n} statements, ${transactions} transactions`)
    for (const [text, count] of counts) console.log(`  ${count} × ${text}`)
  }
  console.log(`\nper cycle: ${total} statements, ${units} transactions`)
} finally {
  await app.close()
  await stores.close()
}
