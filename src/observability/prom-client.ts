import { createRequire } from 'node:module'
import type * as PromClient from 'prom-client'

/**
 * The parts of prom-client the server uses, each from its own file. prom-client's index also loads
 * its cluster aggregator (node:cluster, child_process, dgram), its Pushgateway (zlib, http, https)
 * and its default metrics (which load the OpenTelemetry API for exemplars): ~190 modules and 4 MB
 * of an idle server's memory for nothing it calls (docs/performance.md, "Installed package"). The
 * default metrics are loaded at the first scrape (metrics-exposition.ts). prom-client has no
 * `exports` map, so its files are reachable; the types are its index's.
 */
const require = createRequire(import.meta.url)

export const Registry: typeof PromClient.Registry = require('prom-client/lib/registry')
export const Counter: typeof PromClient.Counter = require('prom-client/lib/counter')
export const Gauge: typeof PromClient.Gauge = require('prom-client/lib/gauge')
export const Histogram: typeof PromClient.Histogram = require('prom-client/lib/histogram')

/** prom-client's default metrics (CPU, memory, event loop, GC, handles), loaded when first asked for. */
export function collectDefaultMetrics<T extends PromClient.RegistryContentType>(
  config: PromClient.DefaultMetricsCollectorConfiguration<T>,
): void {
  const collect: typeof PromClient.collectDefaultMetrics = require('prom-client/lib/defaultMetrics')
  collect(config)
}
