import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { bestOfRounds, fetchBody } from '../harness/compare.ts'
import { metricsCpuMicrosPerRequest } from '../harness/metrics-cost.ts'
import { developmentToken } from '../harness/token.ts'
import { cachedStore } from '../stores/store-cache.ts'
import { LIST_PUBLISHER, SMALL_STORE } from '../stores/store-plans.ts'
import { API_VERSION, CONNECTIONS, type Scenario } from './scenario.ts'

/**
 * What metrics and tracing cost on the list call (a publisher of 50), in CPU per request: the same
 * server and store with --no-metrics (no telemetry code on the path: tracing is off too, as it is
 * without OTEL_* variables), with metrics (the default; tracing off), and, for information, with
 * every request traced and exported over OTLP/HTTP to a sink in this process.
 */
const MAX_METRICS_COST_MICROS = 5

async function statementCount(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text()
  return [...text.matchAll(/^cloudpartner_db_statement_duration_seconds_count\{[^}]*\} (\d+)/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  )
}

export const telemetryScenario: Scenario = {
  name: 'telemetry',
  async run(ctx) {
    const dataDir = await cachedStore(SMALL_STORE, { rebuild: ctx.options.rebuild, log: ctx.log })
    const sink = createServer((request, response) => {
      request.resume()
      request.on('end', () => response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end())
    })
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve))
    const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`
    const bare = await ctx.startServer('no-metrics', { dataDir }, ['--no-metrics'])
    const metered = await ctx.startServer('metrics', { dataDir })
    const traced = await ctx.startServer('traced', { dataDir }, [], { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl })
    try {
      const path = `/api/publishers/${LIST_PUBLISHER}/offers?${API_VERSION}`
      const load = { connections: CONNECTIONS, seconds: ctx.loadSeconds }
      const loads = await Promise.all(
        [bare, metered, traced].map(async (server, index) => {
          const headers = { authorization: `Bearer ${await developmentToken(server.url)}` }
          await fetchBody(`${server.url}${path}`, headers)
          const name = ['list-50 --no-metrics', 'list-50 metrics', 'list-50 traced'][index] as string
          return { name, pid: server.pid, spec: { ...load, url: `${server.url}${path}`, headers } }
        }),
      )
      // Statements per list request, as the metered server counts them.
      const statementsBefore = await statementCount(metered.url)
      for (let request = 0; request < 20; request += 1)
        await fetchBody(
          `${metered.url}${path}`,
          (loads[1] as { spec: { headers: Record<string, string> } }).spec.headers,
        )
      const statements = Math.round(((await statementCount(metered.url)) - statementsBefore) / 20)
      const [off, on, tracing] = await bestOfRounds(ctx, loads)
      if (!off || !on || !tracing) throw new Error('a load did not run')
      const hooks = metricsCpuMicrosPerRequest(Math.max(1, statements))
      const metricsCost = on.cpuMicrosPerRequest - off.cpuMicrosPerRequest
      const tracingCost = tracing.cpuMicrosPerRequest - on.cpuMicrosPerRequest
      const row = (benchmark: string, result: typeof on, note: string, met?: boolean) => ({
        benchmark,
        target: met === undefined ? '(information)' : `≤ ${MAX_METRICS_COST_MICROS} µs CPU per request`,
        requestsPerSecond: result.requestsPerSecond,
        baselineRequestsPerSecond: off.requestsPerSecond,
        ratio: result.requestsPerSecond / off.requestsPerSecond,
        p50: result.p50,
        p99: result.p99,
        peakRss: result.peakRss,
        cpuMicrosPerRequest: result.cpuMicrosPerRequest,
        baselineCpuMicrosPerRequest: off.cpuMicrosPerRequest,
        note,
        ...(met === undefined ? {} : { met }),
      })
      return [
        {
          benchmark: 'Retrieve offers: CPU of the metrics code per request, in-process',
          target: `≤ ${MAX_METRICS_COST_MICROS} µs CPU per request`,
          cpuMicrosPerRequest: hooks,
          note: `1 request and ${statements} statement observations; tracing off costs no code on the path`,
          met: hooks <= MAX_METRICS_COST_MICROS,
        },
        row(
          'Retrieve offers: metrics on, tracing off, vs --no-metrics',
          on,
          `${metricsCost.toFixed(1)} µs CPU per request for metrics end to end (noisy on a loaded machine)`,
        ),
        row(
          'Retrieve offers: every request traced (OTLP/HTTP), vs --no-metrics',
          tracing,
          `${tracingCost.toFixed(1)} µs CPU per request for tracing on top of metrics`,
        ),
      ]
    } finally {
      await Promise.all([bare.stop(), metered.stop(), traced.stop()])
      await new Promise((resolve) => sink.close(resolve))
    }
  },
}
