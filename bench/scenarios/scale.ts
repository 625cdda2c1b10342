import type { BenchContext } from '../harness/bench-context.ts'
import { checked, compareWithBaseline, fetchBody } from '../harness/compare.ts'
import { measureLoad } from '../harness/load.ts'
import type { RunningProcess } from '../harness/processes.ts'
import type { ResultRow } from '../harness/results.ts'
import { developmentToken } from '../harness/token.ts'
import { cachedStore } from '../stores/store-cache.ts'
import { HUNDRED_PUBLISHER, LARGE_PUBLISHER, MILLION_STORE, THOUSAND_STORE } from '../stores/store-plans.ts'
import { API_VERSION, CONNECTIONS, type Scenario } from './scenario.ts'

const MB = 1024 * 1024
const LARGE_LIST_LIMIT_MS = 150
const LARGE_LIST_RSS_LIMIT = 200 * MB
/** A publisher of 100 offers on the 1M store may be at most this much slower than on the 1k store. */
const SCALE_LIMIT = 1.2

/**
 * Scale: the same list call (a publisher of 100 offers, same ids, same bytes) on a store of 1,000
 * offers and on a store of 1,000,000 offers over 10,000 publishers; then a publisher of 10,000
 * offers on the large store, on a fresh server: one call at a time (latency), then 50 at a time.
 */
export const scaleScenario: Scenario = {
  name: 'scale',
  async run(ctx) {
    const cache = { rebuild: ctx.options.rebuild, log: ctx.log }
    const hundredPath = `/api/publishers/${HUNDRED_PUBLISHER}/offers?${API_VERSION}`
    const small = await onStore(ctx, await cachedStore(THOUSAND_STORE, cache), async (server, token) =>
      compareWithBaseline(ctx, server, token, 'list-100-of-1k', hundredPath, CONNECTIONS),
    )
    const rows: ResultRow[] = []
    const million = await cachedStore(MILLION_STORE, cache)
    await onStore(ctx, million, async (server, token) => {
      const large = await compareWithBaseline(ctx, server, token, 'list-100-of-1m', hundredPath, CONNECTIONS)
      const slowdown = Math.max(
        small.server.requestsPerSecond / large.server.requestsPerSecond,
        large.server.p50 / small.server.p50,
      )
      for (const [label, result, baseline] of [
        ['1,000 offers', small.server, small.baseline],
        ['1,000,000 offers', large.server, large.baseline],
      ] as const) {
        rows.push({
          benchmark: `List a publisher of 100, store of ${label}`,
          target: label.startsWith('1,000,000') ? `within ${SCALE_LIMIT}× of the 1k store` : '(reference)',
          requestsPerSecond: result.requestsPerSecond,
          baselineRequestsPerSecond: baseline.requestsPerSecond,
          ratio: result.requestsPerSecond / baseline.requestsPerSecond,
          p50: result.p50,
          p99: result.p99,
          peakRss: result.peakRss,
          cpuMicrosPerRequest: result.cpuMicrosPerRequest,
          baselineCpuMicrosPerRequest: baseline.cpuMicrosPerRequest,
          ...(label.startsWith('1,000,000')
            ? {
                note: `1M/1k: throughput ×${(large.server.requestsPerSecond / small.server.requestsPerSecond).toFixed(2)}, p50 ×${(large.server.p50 / small.server.p50).toFixed(2)}`,
                met: slowdown <= SCALE_LIMIT,
              }
            : { note: `${small.bodyBytes} B` }),
        })
      }
    })
    // A server of its own: RSS never shrinks much, so after the loads above it would show their peak.
    await onStore(ctx, million, async (server, token) => {
      const largePath = `/api/publishers/${LARGE_PUBLISHER}/offers?${API_VERSION}`
      const headers = { authorization: `Bearer ${token}` }
      const { body } = await fetchBody(`${server.url}${largePath}`, headers)
      const single = checked(
        'list-10000 sequential',
        await measureLoad(server.pid, {
          url: `${server.url}${largePath}`,
          headers,
          connections: 1,
          amount: ctx.options.quick ? 20 : 100,
          warmupSeconds: 1,
        }),
      )
      const concurrent = checked(
        'list-10000 concurrent',
        await measureLoad(server.pid, {
          url: `${server.url}${largePath}`,
          headers,
          connections: CONNECTIONS,
          seconds: ctx.loadSeconds,
        }),
      )
      rows.push(
        {
          benchmark: 'List a publisher of 10,000 (1M store), one at a time',
          target: `< ${LARGE_LIST_LIMIT_MS} ms, RSS < 200 MB`,
          requestsPerSecond: single.requestsPerSecond,
          p50: single.p50,
          p99: single.p99,
          peakRss: single.peakRss,
          cpuMicrosPerRequest: single.cpuMicrosPerRequest,
          note: `${(body.length / MB).toFixed(1)} MB answer; max ${single.max.toFixed(1)} ms`,
          met: single.p99 < LARGE_LIST_LIMIT_MS && single.peakRss < LARGE_LIST_RSS_LIMIT,
        },
        {
          benchmark: 'List a publisher of 10,000 (1M store), 50 at a time',
          target: 'RSS < 200 MB',
          requestsPerSecond: concurrent.requestsPerSecond,
          p50: concurrent.p50,
          p99: concurrent.p99,
          peakRss: concurrent.peakRss,
          cpuMicrosPerRequest: concurrent.cpuMicrosPerRequest,
          met: concurrent.peakRss < LARGE_LIST_RSS_LIMIT,
        },
      )
    })
    return rows
  },
}

/** Runs `work` against a server on `dataDir`, with a token, and stops the server. */
async function onStore<T>(
  ctx: BenchContext,
  dataDir: string,
  work: (server: RunningProcess, token: string) => Promise<T>,
): Promise<T> {
  const server = await ctx.startServer('scale', { dataDir })
  try {
    return await work(server, await developmentToken(server.url))
  } finally {
    await server.stop()
  }
}
