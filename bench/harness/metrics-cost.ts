import { createMetrics } from '../../src/observability/metrics.ts'

/**
 * The CPU the metrics add to one list request, measured in this process on the code itself: one
 * request observation and the observations of its statements, `iterations` times. Unlike the
 * end-to-end comparison, this holds on a loaded machine: it is CPU time of a loop, not throughput.
 */
export function metricsCpuMicrosPerRequest(statementsPerRequest: number, iterations = 500_000): number {
  const metrics = createMetrics()
  const sql = 'SELECT id, offer_type_id, status FROM offers WHERE publisher_id = ? ORDER BY id LIMIT ?'
  const once = () => {
    for (let statement = 0; statement < statementsPerRequest; statement += 1)
      metrics.statement('sqlite', sql)()
    metrics.request('GET', '/api/publishers/:publisherId/offers', 200, 0.0012)
  }
  for (let warm = 0; warm < 50_000; warm += 1) once()
  const start = process.cpuUsage()
  for (let index = 0; index < iterations; index += 1) once()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / iterations
}
