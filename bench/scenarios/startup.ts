import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { memoryOf } from '../harness/process-stats.ts'
import type { RunningProcess } from '../harness/processes.ts'
import { cachedStore } from '../stores/store-cache.ts'
import { MILLION_STORE } from '../stores/store-plans.ts'
import type { Scenario } from './scenario.ts'

const MB = 1024 * 1024
const READY_LIMIT_MS = 1000
const IDLE_RSS_LIMIT = 100 * MB
/** How long the server sits idle before its RSS is read. */
const IDLE_MS = 2000

/**
 * Start-up to ready (spawn to the first 200 from /health/ready) on an existing 1,000,000-offer
 * store, and the RSS of the idle server. The first start has an empty compile cache (as after an
 * upgrade or on a fresh CI runner); the others reuse it, as every later start on that machine does.
 */
export const startupScenario: Scenario = {
  name: 'startup',
  async run(ctx) {
    const dataDir = await cachedStore(MILLION_STORE, { rebuild: ctx.options.rebuild, log: ctx.log })
    const env = { NODE_COMPILE_CACHE: mkdtempSync(join(ctx.runDir, 'compile-cache-')) }
    const warm: { readyMs: number; idleRss: number }[] = []
    let cold: { readyMs: number; idleRss: number }
    try {
      cold = await startIdleStop(() => ctx.startServer('startup-cold', { dataDir }, [], env))
      for (let run = 0; run < (ctx.options.quick ? 2 : 5); run += 1) {
        warm.push(await startIdleStop(() => ctx.startServer('startup', { dataDir }, [], env)))
      }
    } finally {
      rmSync(env.NODE_COMPILE_CACHE, { recursive: true, force: true })
    }
    const readies = warm.map((start) => start.readyMs).sort((a, b) => a - b)
    const median = readies[Math.floor(readies.length / 2)] as number
    const idleRss = Math.max(...warm.map((start) => start.idleRss))
    return [
      {
        benchmark: 'Start-up to ready, 1M-offer store',
        target: `< ${READY_LIMIT_MS} ms`,
        note: `median ${median.toFixed(0)} ms, max ${readies.at(-1)?.toFixed(0)} ms of ${readies.length}; first start (empty compile cache) ${cold.readyMs.toFixed(0)} ms`,
        met: (readies.at(-1) as number) < READY_LIMIT_MS,
      },
      {
        benchmark: 'Idle RSS after start-up',
        target: `< ${IDLE_RSS_LIMIT / MB} MB`,
        peakRss: idleRss,
        note: `RSS ${IDLE_MS / 1000} s after ready (largest of ${warm.length})`,
        met: idleRss < IDLE_RSS_LIMIT,
      },
    ]
  },
}

async function startIdleStop(
  start: () => Promise<RunningProcess>,
): Promise<{ readyMs: number; idleRss: number }> {
  const server = await start()
  try {
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS))
    return { readyMs: server.readyMs, idleRss: memoryOf(server.pid).rss }
  } finally {
    await server.stop()
  }
}
