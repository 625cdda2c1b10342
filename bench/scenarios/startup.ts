import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { BenchContext } from '../harness/bench-context.ts'
import { installedPackage } from '../harness/installed-package.ts'
import { cpuSecondsOf, memoryOf } from '../harness/process-stats.ts'
import { REPO_ROOT, type RunningProcess, startProcess } from '../harness/processes.ts'
import type { ResultRow } from '../harness/results.ts'
import { BENCH_DIR, cachedStore } from '../stores/store-cache.ts'
import { MILLION_STORE } from '../stores/store-plans.ts'
import type { Scenario } from './scenario.ts'

const MB = 1024 * 1024
const READY_LIMIT_MS = 300
const IDLE_RSS_LIMIT = 80 * MB
/** How long a process sits idle before its RSS is read. */
const IDLE_MS = 2000
/** The server's Node flags (bin/cloudpartner.js), for the baselines. */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=8', '--expose-gc']

interface Start {
  readonly readyMs: number
  /** CPU time (user + system, all threads) from spawn to the first 200 of /health/ready. */
  readonly cpuMs: number
  readonly idleRss: number
}

/**
 * Start-up and idle memory. (1) Spawn to the first 200 of /health/ready on an existing 1,000,000-offer
 * store, the tree started as `npm start` starts it; the first start has an empty compile cache (as
 * after an upgrade or on a fresh CI runner), the others reuse it. (2) The package as users install
 * it (`npm pack`, installed into .bench/package): its idle RSS as `npx cloudpartner serve` starts it
 * (a project's own ./data, sample offers written by a first start that is not measured), against a
 * bare `node` and a bare Fastify measured in the same run; and its start on the 1M store. CPU time
 * to ready is given with every wall time: on a shared machine it is the steadier figure.
 */
export const startupScenario: Scenario = {
  name: 'startup',
  async run(ctx) {
    const dataDir = await cachedStore(MILLION_STORE, { rebuild: ctx.options.rebuild, log: ctx.log })
    const starts = ctx.options.quick ? 2 : 5
    const env = { NODE_COMPILE_CACHE: mkdtempSync(join(ctx.runDir, 'compile-cache-')) }
    const warm: Start[] = []
    let cold: Start
    try {
      cold = await startIdleStop(() => ctx.startServer('startup-cold', { dataDir }, [], env))
      for (let run = 0; run < starts; run += 1)
        warm.push(await startIdleStop(() => ctx.startServer('startup', { dataDir }, [], env)))
    } finally {
      rmSync(env.NODE_COMPILE_CACHE, { recursive: true, force: true })
    }
    const ready = median(warm.map((start) => start.readyMs))
    const rows: ResultRow[] = [
      {
        // The clone runs the TypeScript sources (ADR 0001); users run the package or the image,
        // which run the bundle (ADR 0010): the target is judged on the installed package below.
        benchmark: 'Start-up to ready, 1M-offer store (`npm start`, the clone)',
        target: '(reference)',
        note: `median ${ready.toFixed(0)} ms, max ${Math.max(...warm.map((start) => start.readyMs)).toFixed(0)} ms of ${warm.length}; CPU to ready median ${median(warm.map((start) => start.cpuMs)).toFixed(0)} ms; first start (empty compile cache) ${cold.readyMs.toFixed(0)} ms, ${cold.cpuMs.toFixed(0)} ms CPU`,
      },
      {
        benchmark: 'Idle RSS after start-up (`npm start`, 1M-offer store)',
        target: '(reference)',
        peakRss: Math.max(...warm.map((start) => start.idleRss)),
        note: `RSS ${IDLE_MS / 1000} s after ready (largest of ${warm.length})`,
      },
    ]
    return [...rows, ...(await installedRows(ctx, dataDir, starts))]
  },
}

/** The installed package's idle RSS and start, with the bare baselines of the same run. */
async function installedRows(ctx: BenchContext, millionStore: string, starts: number): Promise<ResultRow[]> {
  const projectDir = join(BENCH_DIR, 'package')
  const installed = await installedPackage(ctx.options.serverDir, projectDir, ctx.runDir, ctx.log)
  if (!installed.ok)
    return [{ benchmark: 'Idle RSS, installed package', target: '(skipped)', note: installed.reason }]
  // A new project's first start: it writes ./data and the sample offers; the starts after it are measured.
  rmSync(join(projectDir, 'data'), { recursive: true, force: true })
  const startInstalled = (name: string, args: readonly string[] = []) =>
    startProcess({
      // No Node flags: bin/cloudpartner.js starts itself again with the server's, as under npx.
      args: [installed.bin, 'serve', '--host', '127.0.0.1', '--port', '{port}', ...args],
      readyPath: '/health/ready',
      cwd: projectDir,
      logFile: join(ctx.runDir, 'logs', `${name}.log`),
    })
  await (await startInstalled('installed-first-start')).stop()
  const idle: Start[] = []
  const million: Start[] = []
  for (let run = 0; run < starts; run += 1) {
    idle.push(await startIdleStop(() => startInstalled('installed')))
    million.push(await startIdleStop(() => startInstalled('installed-1m', ['--data-dir', millionStore])))
  }
  const fastify: Start[] = []
  const node: number[] = []
  for (let run = 0; run < 2; run += 1) {
    fastify.push(
      await startIdleStop(() =>
        startProcess({
          args: [...SERVER_NODE_FLAGS, join(REPO_ROOT, 'bench/harness/bare-fastify.js'), '{port}'],
          readyPath: '/health/ready',
          logFile: join(ctx.runDir, 'logs', 'bare-fastify.log'),
        }),
      ),
    )
    node.push(await bareNodeIdleRss())
  }
  const rss = Math.max(...idle.map((start) => start.idleRss))
  const fastifyRss = Math.max(...fastify.map((start) => start.idleRss))
  const nodeRss = Math.max(...node)
  return [
    {
      benchmark: 'Idle RSS, installed package (`npx cloudpartner serve`)',
      target: `≤ ${IDLE_RSS_LIMIT / MB} MB`,
      peakRss: rss,
      note: `largest of ${idle.length}, ${IDLE_MS / 1000} s after ready; ×${(rss / nodeRss).toFixed(2)} bare node (${(nodeRss / MB).toFixed(1)} MB), ×${(rss / fastifyRss).toFixed(2)} bare Fastify (${(fastifyRss / MB).toFixed(1)} MB), same run; ready median ${median(idle.map((start) => start.readyMs)).toFixed(0)} ms, CPU ${median(idle.map((start) => start.cpuMs)).toFixed(0)} ms; tarball ${(installed.tarballBytes / 1000).toFixed(0)} kB`,
      met: rss <= IDLE_RSS_LIMIT,
    },
    {
      benchmark: 'Start-up to ready, installed package, 1M-offer store',
      target: `< ${READY_LIMIT_MS} ms`,
      met: median(million.map((start) => start.readyMs)) < READY_LIMIT_MS,
      peakRss: Math.max(...million.map((start) => start.idleRss)),
      note: `median ${median(million.map((start) => start.readyMs)).toFixed(0)} ms, CPU to ready median ${median(million.map((start) => start.cpuMs)).toFixed(0)} ms, of ${million.length}; bare Fastify: ready ${median(fastify.map((start) => start.readyMs)).toFixed(0)} ms, CPU ${median(fastify.map((start) => start.cpuMs)).toFixed(0)} ms`,
    },
  ]
}

async function startIdleStop(start: () => Promise<RunningProcess>): Promise<Start> {
  const server = await start()
  try {
    const cpuMs = cpuSecondsOf(server.pid) * 1000
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS))
    return { readyMs: server.readyMs, cpuMs, idleRss: memoryOf(server.pid).rss }
  } finally {
    await server.stop()
  }
}

/** `node -e 'setInterval(() => {}, 1e9)'` with the server's flags: what Node itself holds, idle. */
async function bareNodeIdleRss(): Promise<number> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '-e', 'setInterval(() => {}, 1e9)'], {
    stdio: 'ignore',
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  try {
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS))
    return memoryOf(child.pid as number).rss
  } finally {
    child.kill('SIGTERM')
    await exited
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}
