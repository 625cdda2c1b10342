import type * as PromClient from 'prom-client'
import { collectDefaultMetrics, Registry } from './prom-client.ts'

/**
 * The process's own metrics (CPU, memory, event loop, GC, handles): one set per process, whatever
 * the number of apps in it, collected from the first scrape on.
 */
let processMetrics: PromClient.Registry | undefined

function processRegistry(): PromClient.Registry {
  if (processMetrics === undefined) {
    processMetrics = new Registry()
    collectDefaultMetrics({ register: processMetrics })
  }
  return processMetrics
}

export interface Exposition {
  readonly contentType: string
  readonly body: string
}

/**
 * The app's metrics and the process's, in the Prometheus text format or, when the scraper asks for
 * it (Prometheus does by default), in OpenMetrics. A registry's format is fixed when it is made, so
 * each scrape reads the same metrics through a registry of the format asked for.
 */
export async function exposition(
  registry: PromClient.Registry,
  accept: string | undefined,
): Promise<Exposition> {
  const openMetrics = accept?.includes('application/openmetrics-text') === true
  const view = new Registry<PromClient.RegistryContentType>()
  view.setContentType(openMetrics ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE)
  // prom-client types the registry's entries as plain objects; they are the metrics themselves.
  const metrics = [processRegistry(), registry].flatMap(
    (source) => source.getMetricsAsArray() as unknown as PromClient.Metric[],
  )
  for (const metric of metrics) view.registerMetric(metric)
  // An OpenMetrics render renames every counter for good (it drops `_total`, prom-client 15), which
  // would change the text format's names from then on. The names are read as the render starts,
  // synchronously, so putting them back before awaiting it is enough.
  const named = metrics as unknown as { name: string }[]
  const names = named.map((metric) => metric.name)
  const rendering = view.metrics()
  for (const [index, metric] of named.entries()) metric.name = names[index] as string
  return { contentType: view.contentType, body: await rendering }
}
