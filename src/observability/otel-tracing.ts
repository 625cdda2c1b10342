import { hostname } from 'node:os'
import {
  type Context,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Dialect } from '../storage/database.ts'
import type { TracingSettings } from '../tracing-settings.ts'
import { PACKAGE_VERSION } from '../version.ts'
import type { Tracing } from './tracing.ts'

/**
 * The OpenTelemetry implementation, imported only when tracing is configured. It registers nothing
 * globally (no global tracer provider, context manager or propagator): each app owns its provider and
 * its context, so two apps in one process (the tests) never see each other's spans.
 */
export async function createOtelTracing(settings: TracingSettings): Promise<Tracing> {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': settings.serviceName,
      'service.version': PACKAGE_VERSION,
      'service.instance.id': `${hostname()}:${process.pid}`,
    }),
    sampler: samplerOf(settings),
    spanProcessors: [new BatchSpanProcessor({ exporter: await exporterOf(settings) })],
  })
  const tracer = provider.getTracer('cloudpartner', PACKAGE_VERSION)
  const contexts = new AsyncLocalStorageContextManager().enable()
  const propagator = new W3CTraceContextPropagator()
  const requests = new WeakMap<FastifyRequest, { span: Span; context: Context }>()

  const ended = (span: Span) => (error?: unknown) => {
    if (error !== undefined) {
      span.recordException(error instanceof Error ? error : String(error))
      span.setStatus({ code: SpanStatusCode.ERROR })
    }
    span.end()
  }
  /** Ends `span` when `running` settles, with the error if it fails; answers what it answers. */
  const endWhenSettled = <T>(span: Span, running: Promise<T>): Promise<T> => {
    const end = ended(span)
    return running.then(
      (result) => {
        end()
        return result
      },
      (error: unknown) => {
        end(error)
        throw error
      },
    )
  }

  return {
    install(app) {
      app.addHook('onRequest', (request, _reply, done) => {
        const parent = propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter)
        const span = tracer.startSpan(
          request.method,
          {
            kind: SpanKind.SERVER,
            attributes: {
              'http.request.method': request.method,
              'url.path': request.url.split('?')[0] as string,
              'cloudpartner.request.id': String(request.id),
            },
          },
          parent,
        )
        const context = trace.setSpan(parent, span)
        requests.set(request, { span, context })
        // The hooks after this one (authentication) run inside the request's span.
        contexts.with(context, done)
      })
      // Body parsing loses the context (its callbacks come from the socket): the handler gets it back.
      app.addHook('onRoute', (route) => {
        const handler = route.handler
        route.handler = function tracedHandler(this: FastifyInstance, request, reply) {
          const active = requests.get(request)
          return active
            ? contexts.with(active.context, () => handler.call(this, request, reply))
            : handler.call(this, request, reply)
        }
      })
      app.addHook('onError', (request, _reply, error, done) => {
        requests.get(request)?.span.recordException(error)
        done()
      })
      app.addHook('onResponse', (request, reply, done) => {
        const active = requests.get(request)
        if (active) {
          const route = request.routeOptions.url
          if (route !== undefined) {
            active.span.updateName(`${request.method} ${route}`)
            active.span.setAttribute('http.route', route)
          }
          active.span.setAttribute('http.response.status_code', reply.statusCode)
          if (reply.statusCode >= 500) active.span.setStatus({ code: SpanStatusCode.ERROR })
          active.span.end()
        }
        done()
      })
    },

    database: {
      statement(dialect, sql) {
        const parent = contexts.active()
        // A statement outside any traced work (the worker's polling) would be a trace of its own.
        if (trace.getSpan(parent) === undefined) return noop
        const span = tracer.startSpan(
          verbOf(sql),
          {
            kind: SpanKind.CLIENT,
            attributes: { 'db.system.name': systemOf(dialect), 'db.query.text': sql },
          },
          parent,
        )
        return ended(span)
      },
      unit(work) {
        const parent = contexts.active()
        if (trace.getSpan(parent) === undefined) return work
        return (tx) => {
          const span = tracer.startSpan('transaction', { kind: SpanKind.INTERNAL }, parent)
          return endWhenSettled(
            span,
            contexts.with(trace.setSpan(parent, span), () => work(tx)),
          )
        }
      },
    },

    span(name, attributes, work) {
      const span = tracer.startSpan(name, { attributes }, contexts.active())
      return endWhenSettled(span, contexts.with(trace.setSpan(contexts.active(), span), work))
    },

    traceIdOf(request) {
      return requests.get(request)?.span.spanContext().traceId
    },

    async shutdown() {
      await provider.shutdown()
      contexts.disable()
    },
  }
}

const noop = () => undefined

function verbOf(sql: string): string {
  return /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SQL'
}

function systemOf(dialect: Dialect): string {
  return dialect === 'postgres' ? 'postgresql' : 'sqlite'
}

function samplerOf(settings: TracingSettings): Sampler {
  const base = settings.sampler.replace(/^parentbased_/, '')
  const root =
    base === 'always_off'
      ? new AlwaysOffSampler()
      : base === 'traceidratio'
        ? new TraceIdRatioBasedSampler(settings.samplerRatio)
        : new AlwaysOnSampler()
  return settings.sampler.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root
}

/** OTLP over HTTP, protobuf (the specification's default) or JSON; each exporter loaded on demand. */
async function exporterOf(settings: TracingSettings): Promise<SpanExporter> {
  if (settings.protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http')
    return new OTLPTraceExporter({ url: settings.endpoint })
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto')
  return new OTLPTraceExporter({ url: settings.endpoint })
}
