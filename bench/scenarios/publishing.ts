import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { drivePublishing } from '../harness/publish-driver.ts'
import { developmentToken } from '../harness/token.ts'
import { cachedStore, copyStore } from '../stores/store-cache.ts'
import { PUBLISH_PUBLISHER, publishStore } from '../stores/store-plans.ts'
import { CONNECTIONS, type Scenario } from './scenario.ts'

const TARGET_PER_SECOND = 500
/** Enough never-published offers for the target rate over the measured time, and then some. */
const OFFERS = { quick: 3_000, full: 20_000 }
const POLL_MS = 10

/**
 * Publish-to-live in the instant profile on the embedded store: 50 pipelines, each publishing an
 * offer, polling the operation (10 ms, then backing off to 500 ms) until it succeeds, going live and polling again. Each
 * run gets a private copy of the store, since publishing writes.
 */
export const publishingScenario: Scenario = {
  name: 'publishing',
  async run(ctx) {
    const count = ctx.options.quick ? OFFERS.quick : OFFERS.full
    const cached = await cachedStore(publishStore(count), { rebuild: ctx.options.rebuild, log: ctx.log })
    const dataDir = copyStore(cached, mkdtempSync(join(ctx.runDir, 'publish-store-')))
    const server = await ctx.startServer('publishing', { dataDir }, ['--publish-profile', 'instant'])
    try {
      const token = await developmentToken(server.url)
      const offerIds = Array.from({ length: count }, (_, index) => `offer-${String(index).padStart(6, '0')}`)
      const load = {
        baseUrl: server.url,
        token,
        publisherId: PUBLISH_PUBLISHER,
        concurrency: CONNECTIONS,
        pollMs: POLL_MS,
      }
      // Warm-up on offers of its own, then the measured run on the rest.
      const warmupCount = Math.floor(count / 10)
      await drivePublishing(server.pid, {
        ...load,
        offerIds: offerIds.slice(0, warmupCount),
        seconds: ctx.warmupSeconds,
      })
      const result = await drivePublishing(server.pid, {
        ...load,
        offerIds: offerIds.slice(warmupCount),
        seconds: ctx.loadSeconds * ctx.rounds,
      })
      return [
        {
          benchmark: 'Publish to live, instant profile, 50 pipelines',
          target: `≥ ${TARGET_PER_SECOND} cycles/s`,
          requestsPerSecond: result.cyclesPerSecond,
          p50: result.p50,
          p99: result.p99,
          peakRss: result.peakRss,
          cpuMicrosPerRequest: result.cpuMicrosPerCycle,
          note: `cycles/s (not req/s): ${result.cycles} cycles in ${result.seconds.toFixed(1)} s, ${result.requestsPerCycle.toFixed(1)} HTTP requests per cycle, latency = publish to live; CPU per cycle${result.exhausted ? '; ran out of offers (a lower bound)' : ''}`,
          met: result.cyclesPerSecond >= TARGET_PER_SECOND,
        },
      ]
    } finally {
      await server.stop()
      // The copy has grown by thousands of versions and operations: keep the logs, not the store.
      rmSync(dataDir, { recursive: true, force: true })
    }
  },
}
