import { compareWithBaseline } from '../harness/compare.ts'
import { developmentToken } from '../harness/token.ts'
import { cachedStore } from '../stores/store-cache.ts'
import { LIST_PUBLISHER, SMALL_STORE, VM_OFFER, VM_PUBLISHER } from '../stores/store-plans.ts'
import { API_VERSION, CONNECTIONS, type Scenario } from './scenario.ts'

/**
 * Retrieve offers (a publisher of 50) and retrieve a specific offer (a full VM offer of about
 * 20 KB), on the embedded store with bearer authentication, against the baseline.
 */
export const readsScenario: Scenario = {
  name: 'reads',
  async run(ctx) {
    const dataDir = await cachedStore(SMALL_STORE, { rebuild: ctx.options.rebuild, log: ctx.log })
    const server = await ctx.startServer('reads', { dataDir })
    try {
      const token = await developmentToken(server.url)
      const list = await compareWithBaseline(
        ctx,
        server,
        token,
        'list-50',
        `/api/publishers/${LIST_PUBLISHER}/offers?${API_VERSION}`,
        CONNECTIONS,
      )
      const get = await compareWithBaseline(
        ctx,
        server,
        token,
        'get-vm',
        `/api/publishers/${VM_PUBLISHER}/offers/${VM_OFFER}?${API_VERSION}`,
        CONNECTIONS,
      )
      const listRatio = list.server.requestsPerSecond / list.baseline.requestsPerSecond
      const getRatio = get.server.requestsPerSecond / get.baseline.requestsPerSecond
      return [
        {
          benchmark: 'Retrieve offers, publisher of 50',
          target: 'ratio ≥ 0.35, ≤ 50 µs CPU, p99 < 10 ms',
          requestsPerSecond: list.server.requestsPerSecond,
          baselineRequestsPerSecond: list.baseline.requestsPerSecond,
          ratio: listRatio,
          p50: list.server.p50,
          p99: list.server.p99,
          peakRss: list.server.peakRss,
          cpuMicrosPerRequest: list.server.cpuMicrosPerRequest,
          baselineCpuMicrosPerRequest: list.baseline.cpuMicrosPerRequest,
          note: `${list.bodyBytes} B; baseline p50/p99 ${list.baseline.p50.toFixed(2)}/${list.baseline.p99.toFixed(2)} ms`,
          met: listRatio >= 0.35 && list.server.cpuMicrosPerRequest <= 50 && list.server.p99 < 10,
        },
        {
          benchmark: 'Retrieve a specific offer (VM, ~20 KB)',
          target: 'ratio ≥ 0.6',
          requestsPerSecond: get.server.requestsPerSecond,
          baselineRequestsPerSecond: get.baseline.requestsPerSecond,
          ratio: getRatio,
          p50: get.server.p50,
          p99: get.server.p99,
          peakRss: get.server.peakRss,
          cpuMicrosPerRequest: get.server.cpuMicrosPerRequest,
          baselineCpuMicrosPerRequest: get.baseline.cpuMicrosPerRequest,
          note: `${get.bodyBytes} B; baseline p50/p99 ${get.baseline.p50.toFixed(2)}/${get.baseline.p99.toFixed(2)} ms`,
          met: getRatio >= 0.6,
        },
      ]
    } finally {
      await server.stop()
    }
  },
}
