import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { best, idleProbe, longestProbe } from '../harness/loop-probe.ts'
import { memoryOf, sampleRss } from '../harness/process-stats.ts'
import { developmentToken } from '../harness/token.ts'
import { API_VERSION, type Scenario } from './scenario.ts'

const MB = 1024 * 1024
/** Issue 13: no single request may block the event loop longer than this... */
const STALL_LIMIT_MS = 50
/** ...or grow the process by more than this multiple of its body. */
const RSS_MULTIPLE_LIMIT = 10
/** Below this, RSS growth is page and heap granularity, whatever the body: a small body may grow it this much. */
const RSS_FLOOR = 1024 * 1024
/** How often the probe asks /health/live while a body is handled. */
const PROBE_EVERY_MS = 2

/**
 * One request at a time, each a body the probe of issue 13 sent (or the largest that the default
 * limits accept), against a fresh server: while it is handled, a second connection asks
 * /health/live back to back, and the longest of those answers, less the longest with no body in
 * flight (the baseline, same run), is how long that request kept everyone else waiting. RSS is
 * sampled meanwhile; its growth is compared with the body's size.
 */
export const hostileBodiesScenario: Scenario = {
  name: 'hostile-bodies',
  async run(ctx) {
    const dataDir = mkdtempSync(join(ctx.runDir, 'hostile-'))
    const server = await ctx.startServer('hostile-bodies', { dataDir })
    try {
      const token = await developmentToken(server.url)
      // The best of a few rounds (compare.ts keeps the best too): on a shared machine the worst
      // measures the neighbours. The first round of each body warms up its code paths.
      const rounds = ctx.rounds + 1
      const idleStall = await best(rounds, () => idleProbe(server.url, PROBE_EVERY_MS))
      const rows = []
      for (const [name, body, expected] of BODIES) {
        const before = memoryOf(server.pid).rss
        const rss = sampleRss(server.pid, 5)
        let status = 0
        let stall: number
        try {
          stall = await best(rounds, () =>
            longestProbe(
              server.url,
              async () => {
                status = await put(server.url, token, name, body)
              },
              PROBE_EVERY_MS,
            ),
          )
        } finally {
          // A sampler left running would keep the bench from exiting.
          rss.stop()
        }
        const growth = Math.max(0, rss.stop() - before)
        const stallMs = Math.max(0, stall - idleStall)
        const bytes = Buffer.byteLength(body)
        rows.push({
          benchmark: `Hostile body: ${name}`,
          target: `stall < ${STALL_LIMIT_MS} ms, RSS growth < ${RSS_MULTIPLE_LIMIT}× body (or 1 MB)`,
          peakRss: before + growth,
          note: `${(bytes / MB).toFixed(2)} MB body answered ${status} (expected ${expected}); stall ${stallMs.toFixed(0)} ms over the idle probe's ${idleStall.toFixed(0)} ms; RSS +${(growth / MB).toFixed(1)} MB (${(growth / bytes).toFixed(1)}× body)`,
          met:
            status === expected &&
            stallMs < STALL_LIMIT_MS &&
            growth < Math.max(RSS_MULTIPLE_LIMIT * bytes, RSS_FLOOR),
        })
      }
      return rows
    } finally {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  },
}

const offer = (definition: string) =>
  `{"offerTypeId":"microsoft-azure-virtualmachines","definition":${definition}}`

/**
 * Name, body, the status the defaults give it. The largest bodies the defaults accept are measured by
 * the largest-bodies scenario.
 */
const BODIES: readonly (readonly [string, string, number])[] = [
  [
    '5,000 levels deep',
    offer(`{"displayText":"D","offer":{"x":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}}`),
    400,
  ],
  [
    '150,000 plans, one planId',
    offer(`{"displayText":"P","offer":{},"plans":[${Array(150_000).fill('{"planId":"p"}').join(',')}]}`),
    413,
  ],
  [
    '1,000,000 empty plans',
    offer(`{"displayText":"E","offer":{},"plans":[${Array(1_000_000).fill('{}').join(',')}]}`),
    413,
  ],
  [
    '60,000 plans, one planId (within --max-body-bytes)',
    offer(`{"displayText":"P","offer":{},"plans":[${Array(60_000).fill('{"planId":"p"}').join(',')}]}`),
    400,
  ],
  [
    '100,001 values (one over --max-json-values)',
    offer(
      `{"displayText":"V","offer":{"x":[${Array(21)
        .fill(`[${Array(4_762).fill(1).join(',')}]`)
        .join(',')}]}}`,
    ),
    413,
  ],
]

/**
 * The PUT's status. Through node:http rather than fetch: a body refused from its Content-Length is
 * answered before it is read, and the connection closed while the client is still sending, which
 * fetch reports as a failure even though the answer arrived.
 */
function put(url: string, token: string, name: string, body: string): Promise<number> {
  const id = `hostile-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`.slice(0, 40).replace(/-$/, '')
  return new Promise((resolve, reject) => {
    let status: number | undefined
    const sent = request(
      `${url}/api/publishers/contoso/offers/${id}?${API_VERSION}`,
      {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        status = response.statusCode ?? 0
        response.resume()
        response.on('end', () => resolve(status as number))
        response.on('error', () => resolve(status as number))
      },
    )
    sent.on('error', (error) => (status === undefined ? reject(error) : resolve(status)))
    sent.end(body)
  })
}
