import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import type { WorkerObservers } from '../operations/operations.worker.ts'
import type { DatabaseObserver } from '../storage/observed-database.ts'
import type { StoreObservers } from '../stores.ts'
import { metricsRoutes } from './metrics.routes.ts'
import { createMetrics, type GaugeSources, type Metrics } from './metrics.ts'
import { loadTracing, type Tracing } from './tracing.ts'

/**
 * Metrics and tracing of one server, and where each plugs in: the store (statements, operation
 * writes), the services (answer cache, token requests), the worker and the app. Each part is absent
 * when turned off (--no-metrics, no OTEL_* endpoint), and an absent part is never called.
 */
export interface Telemetry {
  readonly metrics?: Metrics
  readonly tracing?: Tracing
  readonly stores: StoreObservers
  readonly worker: WorkerObservers
}

export async function createTelemetry(config: Pick<Config, 'metrics' | 'tracing'>): Promise<Telemetry> {
  const metrics = config.metrics ? createMetrics() : undefined
  const tracing = await loadTracing(config.tracing)
  return {
    ...(metrics ? { metrics } : {}),
    ...(tracing ? { tracing } : {}),
    stores: {
      ...(databaseObserver(metrics, tracing) ?? {}),
      ...(metrics ? { operations: metrics.operations } : {}),
    },
    worker: {
      ...(metrics ? { lag: (seconds: number) => metrics.workerLag(seconds) } : {}),
      ...(tracing ? { span: tracing.span } : {}),
    },
  }
}

function databaseObserver(
  metrics: Metrics | undefined,
  tracing: Tracing | undefined,
): { database: DatabaseObserver } | undefined {
  if (metrics && tracing) {
    const traced = tracing.database
    return {
      database: {
        statement(dialect, sql) {
          const measured = metrics.statement(dialect, sql)
          const spanned = traced.statement(dialect, sql)
          return (error) => {
            measured(error)
            spanned(error)
          }
        },
        unit: traced.unit,
      },
    }
  }
  if (metrics) return { database: { statement: metrics.statement, unit: (work) => work } }
  if (tracing) return { database: tracing.database }
  return undefined
}

/**
 * The app's side: request spans and request metrics, installed before any route; /metrics on the
 * API port when `serveMetrics` (development mode; see metrics.routes.ts).
 */
export async function installTelemetry(
  app: FastifyInstance,
  telemetry: Telemetry,
  options: { readonly sources: GaugeSources; readonly serveMetrics: boolean },
): Promise<void> {
  const { metrics, tracing } = telemetry
  if (tracing) {
    tracing.install(app)
    app.addHook('onClose', () => tracing.shutdown())
  }
  if (metrics) {
    metrics.watch(options.sources)
    // A callback hook: an async one would cost every request a promise.
    app.addHook('onResponse', (request, reply, done) => {
      metrics.request(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000)
      done()
    })
    if (options.serveMetrics) await app.register(metricsRoutes, { registry: metrics.registry })
  }
}
