import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BenchContext } from '../harness/bench-context.ts'
import { bestOfRounds, fetchBody } from '../harness/compare.ts'
import type { LoadResult, LoadSpec } from '../harness/load.ts'
import { npmInstall } from '../harness/npm-install.ts'
import { REPO_ROOT, type RunningProcess, startProcess } from '../harness/processes.ts'
import type { ResultRow } from '../harness/results.ts'
import { developmentToken } from '../harness/token.ts'
import { BENCH_DIR, cachedStore } from '../stores/store-cache.ts'
import { LIST_PUBLISHER, SMALL_STORE, VM_OFFER, VM_PUBLISHER } from '../stores/store-plans.ts'
import { API_VERSION, CONNECTIONS, type Scenario } from './scenario.ts'

/** The mock servers people would otherwise put in a pipeline, pinned. */
const JSON_SERVER = { name: 'json-server', version: '0.17.4', bin: 'json-server/lib/cli/bin.js' }
const PRISM = { name: '@stoplight/prism-cli', version: '5.9.0', bin: '@stoplight/prism-cli/dist/index.js' }
const PEERS_DIR = join(BENCH_DIR, 'peers')

interface Call {
  readonly label: string
  /** Our path (Prism mocks the same path from openapi.json). */
  readonly path: string
  /** json-server's path to the same data. */
  readonly jsonServerPath: string
}

/**
 * Ours against json-server 0.17 and Prism 5 (mock mode), in the same run, under the same autocannon
 * load (50 connections, best of the rounds), with the bare Fastify baseline answering our bytes:
 * Retrieve offers of a publisher of 50, and Retrieve a specific offer (the 20 KB VM offer). Both
 * peers are installed into .bench/peers, never into the project. json-server serves the very
 * documents we answer, from a db.json (`/offers` the 50, `/vmOffers/<id>` the VM offer); Prism
 * answers what it generates from our openapi.json (no state, a static example), checking the bearer
 * token's presence as the document's security scheme says. Neither authenticates nor logs as we
 * do; each logs a line per request, as it does by default. Without a registry the scenario says so
 * and is skipped.
 */
export const peersScenario: Scenario = {
  name: 'peers',
  async run(ctx) {
    const installed = await npmInstall(
      PEERS_DIR,
      { [JSON_SERVER.name]: JSON_SERVER.version, [PRISM.name]: PRISM.version },
      ctx.log,
    )
    if (!installed.ok)
      return [{ benchmark: 'Peers (json-server, Prism)', target: '(skipped)', note: installed.reason }]

    const dataDir = await cachedStore(SMALL_STORE, { rebuild: ctx.options.rebuild, log: ctx.log })
    const calls: Call[] = [
      {
        label: 'Retrieve offers, publisher of 50',
        path: `/api/publishers/${LIST_PUBLISHER}/offers?${API_VERSION}`,
        jsonServerPath: '/offers',
      },
      {
        label: 'Retrieve a specific offer (VM, ~20 KB)',
        path: `/api/publishers/${VM_PUBLISHER}/offers/${VM_OFFER}?${API_VERSION}`,
        jsonServerPath: `/vmOffers/${VM_OFFER}`,
      },
    ]
    const processes: RunningProcess[] = []
    try {
      const ours = await ctx.startServer('peers', { dataDir })
      processes.push(ours)
      const token = await developmentToken(ours.url)
      const headers = { authorization: `Bearer ${token}` }
      const bodies = await Promise.all(calls.map((call) => fetchBody(`${ours.url}${call.path}`, headers)))
      const [list, vm] = bodies.map((answer) => JSON.parse(answer.body.toString('utf8')) as unknown)
      const db = join(ctx.runDir, 'peers-db.json')
      writeFileSync(db, JSON.stringify({ offers: list, vmOffers: [vm] }))

      const jsonServer = await startPeer(
        ctx,
        'json-server',
        [join(PEERS_DIR, 'node_modules', JSON_SERVER.bin), db, '--host', '127.0.0.1', '--port', '{port}'],
        '/offers',
      )
      processes.push(jsonServer)
      const prism = await startPeer(
        ctx,
        'prism',
        [
          join(PEERS_DIR, 'node_modules', PRISM.bin),
          'mock',
          join(REPO_ROOT, 'openapi.json'),
          '--host',
          '127.0.0.1',
          '--port',
          '{port}',
        ],
        calls[0]?.path ?? '/',
        headers,
      )
      processes.push(prism)
      const baseline = await ctx.startBaseline(
        'peers',
        calls.map((call, index) => ({
          path: call.path.split('?')[0] as string,
          contentType: bodies[index]?.contentType ?? 'application/json',
          body: bodies[index]?.body ?? Buffer.alloc(0),
        })),
      )
      processes.push(baseline)

      const rows: ResultRow[] = []
      for (const call of calls) {
        const load = { connections: CONNECTIONS, seconds: ctx.loadSeconds }
        const contenders: { name: string; pid: number; spec: LoadSpec }[] = [
          {
            name: `${call.label}: baseline`,
            pid: baseline.pid,
            spec: { ...load, url: `${baseline.url}${call.path}` },
          },
          {
            name: `${call.label}: cloudpartner`,
            pid: ours.pid,
            spec: { ...load, url: `${ours.url}${call.path}`, headers },
          },
          {
            name: `${call.label}: json-server`,
            pid: jsonServer.pid,
            spec: { ...load, url: `${jsonServer.url}${call.jsonServerPath}` },
          },
          {
            name: `${call.label}: Prism`,
            pid: prism.pid,
            spec: { ...load, url: `${prism.url}${call.path}`, headers },
          },
        ]
        const sizes = await Promise.all(
          contenders.map(async ({ spec }) => (await fetchBody(spec.url, spec.headers ?? {})).body.length),
        )
        const [base, our, js, pr] = (await bestOfRounds(ctx, contenders)) as [
          LoadResult,
          LoadResult,
          LoadResult,
          LoadResult,
        ]
        const ahead = [js, pr].every(
          (peer) =>
            our.requestsPerSecond > peer.requestsPerSecond &&
            our.cpuMicrosPerRequest < peer.cpuMicrosPerRequest,
        )
        const row = (
          who: string,
          result: LoadResult,
          bytes: number,
          extra: Partial<ResultRow>,
        ): ResultRow => ({
          benchmark: `${call.label}: ${who}`,
          target: '(peer)',
          requestsPerSecond: result.requestsPerSecond,
          baselineRequestsPerSecond: base.requestsPerSecond,
          ratio: result.requestsPerSecond / base.requestsPerSecond,
          p50: result.p50,
          p99: result.p99,
          peakRss: result.peakRss,
          cpuMicrosPerRequest: result.cpuMicrosPerRequest,
          baselineCpuMicrosPerRequest: base.cpuMicrosPerRequest,
          note: `${bytes} B`,
          ...extra,
        })
        rows.push(
          row('cloudpartner (bearer token, SQLite)', our, sizes[1] ?? 0, {
            target: 'ahead of json-server and Prism',
            met: ahead,
            note: `${sizes[1]} B; ahead = more req/s and less CPU per request than each peer`,
          }),
          row(`json-server ${JSON_SERVER.version} (db.json, no auth)`, js, sizes[2] ?? 0, {}),
          row(`Prism ${PRISM.version} (mock from openapi.json, no state)`, pr, sizes[3] ?? 0, {}),
          row('bare Fastify baseline (our bytes from memory)', base, sizes[0] ?? 0, { target: '(baseline)' }),
        )
        ctx.log(
          `${call.label}: ours ${our.requestsPerSecond.toFixed(0)} req/s, json-server ${js.requestsPerSecond.toFixed(0)}, Prism ${pr.requestsPerSecond.toFixed(0)}, baseline ${base.requestsPerSecond.toFixed(0)}`,
        )
      }
      return rows
    } finally {
      for (const running of processes.reverse()) await running.stop()
    }
  },
}

function startPeer(
  ctx: BenchContext,
  name: string,
  args: readonly string[],
  readyPath: string,
  readyHeaders: Readonly<Record<string, string>> = {},
): Promise<RunningProcess> {
  return startProcess({
    args,
    readyPath,
    readyHeaders,
    cwd: PEERS_DIR,
    logFile: join(ctx.runDir, 'logs', `peer-${name}.log`),
  })
}
