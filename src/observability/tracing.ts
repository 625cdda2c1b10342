import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { DatabaseObserver } from '../storage/observed-database.ts'
import type { TracingSettings } from '../tracing-settings.ts'

/**
 * Tracing as the server uses it, with nothing of OpenTelemetry in this module: when no OTEL_*
 * endpoint is set, `loadTracing` answers undefined and the SDK is never imported, so a server
 * without tracing neither loads it nor runs a line of it (docs/adr/0007-telemetry.md).
 */
export interface Tracing {
  /**
   * A span per request, child of the caller's W3C `traceparent` (its `tracestate` kept); the
   * handler runs inside it. Installed before the routes: it wraps each route's handler.
   */
  install(app: FastifyInstance): void
  /** A span per statement and per unit of work, under the span that issued them. */
  readonly database: DatabaseObserver
  /** Runs `work` in a span of its own (the publishing worker's steps). */
  span<T>(name: string, attributes: Readonly<Record<string, string>>, work: () => Promise<T>): Promise<T>
  /** The request's trace id, for its log line. */
  traceIdOf(request: FastifyRequest): string | undefined
  /** Exports what is buffered; called when the app closes. */
  shutdown(): Promise<void>
}

export async function loadTracing(settings: TracingSettings | undefined): Promise<Tracing | undefined> {
  if (settings === undefined) return undefined
  const { createOtelTracing } = await import('./otel-tracing.ts')
  return createOtelTracing(settings)
}
