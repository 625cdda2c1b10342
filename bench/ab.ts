import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openPostgresDatabase } from '../src/storage/postgres/postgres-database.ts'
import { createBenchContext } from './harness/bench-context.ts'
import { measureLoad } from './harness/load.ts'
import { createBenchDatabase, postgresCpuSeconds } from './harness/postgres.ts'
import type { RunningProcess } from './harness/processes.ts'
import { developmentToken } from './harness/token.ts'
import { API_VERSION } from './scenarios/scenario.ts'
import { seedStore } from './stores/seed-store.ts'
import { cachedStore, copyStore } from './stores/store-cache.ts'
import { LIST_PUBLISHER, SMALL_STORE, VM_OFFER, VM_PUBLISHER } from './stores/store-plans.ts'

/**
 * `node bench/ab.ts <tree A> <tree B> [--rounds 5] [--seconds 3] [--connections 10]
 * [--postgres-url postgres://…]`: the CPU time per request of two trees' servers on the same calls,
 * each on its own copy of the reads store, under the same load, round after round in turn (A, B,
 * A, B, …). On a machine that other work loads, a single run's figures drift with that load;
 * alternating short rounds and keeping the best and the median of each tree compares the code, not
 * the moment (docs/performance.md). With --postgres-url each tree's server runs on a database of
 * its own on that server, seeded alike, and PostgreSQL's CPU per request (all its processes,
 * during the tree's round) is given after the server's, as `server + PostgreSQL`.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    'postgres-url': { type: 'string' },
  },
})
const trees = positionals.map((tree) => resolve(tree))
if (trees.length !== 2) throw new Error('usage: ab.ts <tree A> <tree B> [--rounds n] [--seconds s]')
const rounds = Number(values.rounds)
const seconds = Number(values.seconds)
const connections = Number(values.connections)
const postgresUrl = values['postgres-url']
const CALLS = {
  'list-50': `/api/publishers/${LIST_PUBLISHER}/offers?${API_VERSION}`,
  'list-50 $filter': `/api/publishers/${LIST_PUBLISHER}/offers?${API_VERSION}&$filter=status%20eq%20'neverPublished'`,
  'get-vm': `/api/publishers/${VM_PUBLISHER}/offers/${VM_OFFER}?${API_VERSION}`,
  '/health/live': '/health/live',
}

const work = mkdtempSync(join(tmpdir(), 'cpp-ab-'))
const log = (line: string) => console.error(line)
const store = postgresUrl === undefined ? await cachedStore(SMALL_STORE, { rebuild: false, log }) : ''
const servers: { tree: string; server: RunningProcess; token: string }[] = []
const databases: { drop(): Promise<void> }[] = []
try {
  for (const [index, tree] of trees.entries()) {
    const ctx = createBenchContext(
      {
        quick: true,
        only: [],
        profile: false,
        rebuild: false,
        postgresUrl: '',
        serverDir: tree,
      },
      join(work, `run-${index}`),
      log,
    )
    const server = await ctx.startServer(
      'ab',
      postgresUrl === undefined
        ? { dataDir: copyStore(store, join(work, `store-${index}`)) }
        : await seededDatabase(postgresUrl),
    )
    servers.push({ tree, server, token: await developmentToken(server.url) })
  }
  const samples = new Map<string, number[]>()
  const postgresSamples = new Map<string, number[]>()
  const statementSamples = new Map<string, number[]>()
  for (let round = 0; round < rounds; round += 1) {
    for (const [call, path] of Object.entries(CALLS)) {
      for (const { tree, server, token } of servers) {
        const postgresBefore = postgresUrl === undefined ? 0 : postgresCpuSeconds()
        const statementsBefore = await statementsRun(server.url)
        const result = await measureLoad(server.pid, {
          url: `${server.url}${path}`,
          headers: { authorization: `Bearer ${token}` },
          connections,
          seconds,
          warmupSeconds: round === 0 ? 1 : 0,
        })
        if (result.failures > 0) throw new Error(`${tree} ${call}: ${result.failures} failures`)
        const key = `${call}\n${tree}`
        samples.set(key, [...(samples.get(key) ?? []), result.cpuMicrosPerRequest])
        const statements = ((await statementsRun(server.url)) - statementsBefore) / result.requests
        statementSamples.set(key, [...(statementSamples.get(key) ?? []), statements])
        if (postgresUrl !== undefined) {
          const postgres = ((postgresCpuSeconds() - postgresBefore) * 1e6) / result.requests
          postgresSamples.set(key, [...(postgresSamples.get(key) ?? []), postgres])
        }
      }
    }
  }
  console.log(`| Call | ${trees.map((tree) => `${tree}: best / median CPU µs per request`).join(' | ')} |`)
  console.log(`| --- | ${trees.map(() => '---').join(' | ')} |`)
  for (const call of Object.keys(CALLS)) {
    const cells = trees.map((tree) => {
      const server = bestAndMedian(samples.get(`${call}\n${tree}`))
      if (postgresUrl === undefined) return server
      return `${server} + ${bestAndMedian(postgresSamples.get(`${call}\n${tree}`))}`
    })
    console.log(`| ${call} | ${cells.join(' | ')} |`)
  }
  console.log("\nStatements per request (from each server's /metrics; the median of the rounds):")
  for (const call of Object.keys(CALLS)) {
    const cells = trees.map((tree) => {
      const sorted = [...(statementSamples.get(`${call}\n${tree}`) ?? [])].sort((a, b) => a - b)
      return (sorted[Math.floor(sorted.length / 2)] ?? Number.NaN).toFixed(3)
    })
    console.log(`| ${call} | ${cells.join(' | ')} |`)
  }
} finally {
  for (const { server } of servers) await server.stop()
  for (const database of databases) await database.drop()
  rmSync(work, { recursive: true, force: true })
}

/** Statements the server has run (its db_statement_duration_seconds histogram's counts). */
async function statementsRun(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text()
  let total = 0
  for (const match of text.matchAll(/^cloudpartner_db_statement_duration_seconds_count\{[^}]*\} (\d+)/gm))
    total += Number(match[1])
  return total
}

function bestAndMedian(samples: readonly number[] | undefined): string {
  const sorted = [...(samples ?? [])].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
  return `${(sorted[0] ?? Number.NaN).toFixed(0)} / ${median.toFixed(0)}`
}

/** A database of its own on the PostgreSQL server, seeded as the reads store is; dropped at the end. */
async function seededDatabase(adminUrl: string): Promise<{ databaseUrl: string; masterKey: string }> {
  const database = await createBenchDatabase(adminUrl)
  databases.push(database)
  const db = openPostgresDatabase({ connectionString: database.url })
  try {
    await seedStore(db, SMALL_STORE)
  } finally {
    await db.close()
  }
  return { databaseUrl: database.url, masterKey: randomBytes(32).toString('base64') }
}
