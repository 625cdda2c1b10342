import type { BenchContext } from './bench-context.ts'
import { type LoadResult, type LoadSpec, measureLoad } from './load.ts'
import type { RunningProcess } from './processes.ts'

export interface Comparison {
  readonly server: LoadResult
  readonly baseline: LoadResult
  readonly bodyBytes: number
}

/**
 * Measures GET `path` on the real server (with the bearer token) and on a bare Fastify baseline
 * that answers the bytes the server answered, under the same load in the same run. Baseline and
 * server take turns, `ctx.rounds` times each, and each keeps its best round: other work on a shared
 * machine can only slow a round down, so the best round is the closest to what the code can do.
 */
export async function compareWithBaseline(
  ctx: BenchContext,
  server: RunningProcess,
  token: string,
  name: string,
  path: string,
  connections: number,
): Promise<Comparison> {
  const headers = { authorization: `Bearer ${token}` }
  const { body, contentType } = await fetchBody(`${server.url}${path}`, headers)
  const again = await fetchBody(`${server.url}${path}`, headers)
  if (!again.body.equals(body)) throw new Error(`${path}: the server answered different bytes twice`)
  const routePath = path.split('?')[0] as string
  const baselineProcess = await ctx.startBaseline(name, [{ path: routePath, contentType, body }])
  try {
    const fromBaseline = await fetchBody(`${baselineProcess.url}${path}`, {})
    if (!fromBaseline.body.equals(body)) throw new Error(`${path}: the baseline answers other bytes`)
    const load = { connections, seconds: ctx.loadSeconds }
    const baselineSpec = { ...load, url: `${baselineProcess.url}${path}` }
    const serverSpec = { ...load, url: `${server.url}${path}`, headers }
    const [baseline, measured] = await bestOfRounds(ctx, [
      { name: `${name} baseline`, pid: baselineProcess.pid, spec: baselineSpec },
      { name, pid: server.pid, spec: serverSpec },
    ])
    return { server: measured as LoadResult, baseline: baseline as LoadResult, bodyBytes: body.length }
  } finally {
    await baselineProcess.stop()
  }
}

/** Runs each load in turn, `ctx.rounds` times (the first with a warm-up), and keeps each one's best round. */
export async function bestOfRounds(
  ctx: BenchContext,
  loads: readonly { name: string; pid: number; spec: LoadSpec }[],
): Promise<LoadResult[]> {
  const best: (LoadResult | undefined)[] = loads.map(() => undefined)
  for (let round = 0; round < ctx.rounds; round += 1) {
    for (const [index, load] of loads.entries()) {
      const warmup = round === 0 ? { warmupSeconds: ctx.warmupSeconds } : {}
      const result = checked(load.name, await measureLoad(load.pid, { ...load.spec, ...warmup }))
      const previous = best[index]
      if (!previous || result.requestsPerSecond > previous.requestsPerSecond) best[index] = result
    }
  }
  return best as LoadResult[]
}

export async function fetchBody(
  url: string,
  headers: Record<string, string>,
): Promise<{ body: Buffer; contentType: string }> {
  const response = await fetch(url, { headers })
  const body = Buffer.from(await response.arrayBuffer())
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${body.toString()}`)
  return { body, contentType: response.headers.get('content-type') ?? 'application/octet-stream' }
}

/** A measurement with failed requests measures something else than the scenario: stop. */
export function checked(name: string, result: LoadResult): LoadResult {
  if (result.failures > 0) throw new Error(`${name}: ${result.failures} requests failed or were not 2xx`)
  if (result.requests === 0) throw new Error(`${name}: no request completed`)
  return result
}
