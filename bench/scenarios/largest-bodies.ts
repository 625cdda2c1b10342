import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { type LargestBody, largestBodies } from '../bodies/largest-bodies.ts'
import { best, idleProbe, longestProbe } from '../harness/loop-probe.ts'
import { cpuSecondsOf, memoryOf, sampleRss } from '../harness/process-stats.ts'
import type { ResultRow } from '../harness/results.ts'
import { developmentToken } from '../harness/token.ts'
import { API_VERSION, type Scenario } from './scenario.ts'

const MB = 1024 * 1024
/** Issue 13: no single request may block the event loop longer than this... */
const STALL_LIMIT_MS = 50
/** ...or grow the process by more than a small multiple of its body. */
const RSS_MULTIPLE_LIMIT = 10
/** Below this, RSS growth is page and heap granularity, whatever the body: a small body may grow it this much. */
const RSS_FLOOR = 1024 * 1024
/** How often the probe asks /health/live while a request is handled (issue 13's brief: 5 ms). */
const PROBE_EVERY_MS = 5
/** How often RSS is read from /proc while the requests run. */
const RSS_EVERY_MS = 5

/**
 * The largest body of each shape that the defaults accept (bench/bodies/largest-bodies.ts), sent
 * to a fresh SQLite server warmed up with a small offer: created (PUT), replaced (PUT If-Match: *,
 * so its audit record holds a diff) and read (GET, the first read after the write, so not from the
 * answer cache). For each request: the longest /health/live answer seen by a probe on another
 * connection meanwhile, less the idle probe's (same run), best of the rounds; the server's CPU time
 * (best of the rounds); and the RSS growth while it ran (peak less the RSS before it, from /proc,
 * the largest of the rounds) against the body's size. Peak RSS: the server's, over the whole row.
 */
export const largestBodiesScenario: Scenario = {
  name: 'largest-bodies',
  async run(ctx) {
    const rows: ResultRow[] = []
    for (const body of largestBodies()) {
      ctx.log(`largest-bodies: ${body.name}`)
      rows.push(...(await measureBody(ctx, body)))
    }
    return rows
  },
}

async function measureBody(ctx: Parameters<Scenario['run']>[0], body: LargestBody): Promise<ResultRow[]> {
  const dataDir = mkdtempSync(join(ctx.runDir, 'largest-'))
  const server = await ctx.startServer('largest-bodies', { dataDir })
  try {
    const token = await developmentToken(server.url)
    const call = async (method: string, offerId: string, payload?: string, ifMatch?: string) => {
      const response = await fetch(`${server.url}/api/publishers/contoso/offers/${offerId}?${API_VERSION}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }),
        },
        ...(payload === undefined ? {} : { body: payload }),
      })
      await response.arrayBuffer()
      if (response.status !== 200) throw new Error(`${method} ${body.name}: answered ${response.status}`)
    }
    // Every code path compiled on a small offer first: the first request of a fresh process is not
    // what a server in service spends.
    const small =
      '{"offerTypeId":"microsoft-azure-virtualmachines","definition":{"displayText":"W","plans":[]}}'
    await call('PUT', 'warm-up', small)
    await call('PUT', 'warm-up', small, '*')
    await call('GET', 'warm-up')
    // More rounds than the throughput scenarios: each is three requests, and a stall is the
    // longest of single moments, which the neighbours on a shared machine disturb most.
    const rounds = ctx.rounds + 2
    const idle = await best(rounds, () => idleProbe(server.url, PROBE_EVERY_MS))

    const steps = [
      ['create', (id: string) => call('PUT', id, body.body)],
      ['replace', (id: string) => call('PUT', id, body.replacement, '*')],
      ['first read', (id: string) => call('GET', id)],
    ] as const
    const bytes = Buffer.byteLength(body.body)
    // Per step, the best round's stall and CPU time, and the largest RSS growth of any round: the
    // peak RSS while the request ran, less the RSS just before it.
    const stalls = new Map<string, number>()
    const cpu = new Map<string, number>()
    const growths = new Map<string, number>()
    for (let round = 0; round < rounds; round++) {
      const id = `largest-${round}`
      for (const [step, send] of steps) {
        const before = memoryOf(server.pid).rss
        const rss = sampleRss(server.pid, RSS_EVERY_MS)
        const cpuBefore = cpuSecondsOf(server.pid)
        let stall: number
        try {
          stall = await longestProbe(server.url, () => send(id), PROBE_EVERY_MS)
        } finally {
          // A sampler left running would keep the bench from exiting.
          rss.stop()
        }
        const used = cpuSecondsOf(server.pid) - cpuBefore
        const growth = Math.max(0, rss.stop() - before)
        stalls.set(step, Math.min(stalls.get(step) ?? Number.POSITIVE_INFINITY, stall - idle))
        cpu.set(step, Math.min(cpu.get(step) ?? Number.POSITIVE_INFINITY, used))
        growths.set(step, Math.max(growths.get(step) ?? 0, growth))
      }
    }
    const peakRss = memoryOf(server.pid).peakRss
    return steps.map(([step]) => {
      const stallMs = Math.max(0, stalls.get(step) as number)
      const growth = growths.get(step) as number
      return {
        benchmark: `Largest body, ${body.name}: ${step}`,
        target: `stall < ${STALL_LIMIT_MS} ms; RSS growth < ${RSS_MULTIPLE_LIMIT}× body (or 1 MB)`,
        peakRss,
        note: `${(bytes / MB).toFixed(2)} MB body; stall ${stallMs.toFixed(0)} ms over the idle probe's ${idle.toFixed(0)} ms; server CPU ${((cpu.get(step) as number) * 1000).toFixed(0)} ms; RSS +${(growth / MB).toFixed(1)} MB (${(growth / bytes).toFixed(1)}× body)`,
        met: stallMs < STALL_LIMIT_MS && growth < Math.max(RSS_MULTIPLE_LIMIT * bytes, RSS_FLOOR),
      }
    })
  } finally {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
