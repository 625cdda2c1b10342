import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { createAuditRecorder } from '../../src/audit/record-change.ts'
import { seedSampleOffers } from '../../src/bootstrap/samples/sample-history.ts'
import { importClosure } from '../helpers/import-graph.ts'
import { type ReceivedSpan, startOtlpReceiver } from '../helpers/otlp-receiver.ts'
import { VM_OFFER } from '../helpers/publishing.ts'
import { API, startTestApp } from '../helpers/test-app.ts'

/**
 * Traces exported over OTLP/HTTP to a collector in the test process: a span per request under the
 * caller's W3C traceparent, a span per statement (on the backend under test) under the request or
 * unit of work that issued it, and the worker's steps; the request's log line carries its trace id.
 */
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
const CALLER_SPAN = '00f067aa0ba902b7'
const SERVER = 2
const CLIENT = 3

test('spans of requests, statements and the worker, with the right parents, exported over OTLP', async (t) => {
  const receiver = await startOtlpReceiver(t)
  const lines: Record<string, unknown>[] = []
  const logs = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)))
      done()
    },
  })
  const ctx = await startTestApp(t, {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'cloudpartner-test',
    },
    logger: { level: 'info', stream: logs },
  })
  await ctx.createPublisher('contoso')
  const owner = await ctx.createPrincipal()
  await ctx.grant(owner, 'contoso')
  await seedSampleOffers({
    stores: ctx.stores,
    clock: ctx.clock,
    caller: { tenantId: owner.tenantId, clientId: owner.clientId, principalId: owner.id },
    audit: createAuditRecorder(ctx),
  })
  const authorization = `Bearer ${await ctx.tokenFor(owner)}`

  const listed = await ctx.app.inject({
    url: `/api/publishers/contoso/offers${API}`,
    headers: { authorization, traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`, tracestate: 'vendor=opaque' },
  })
  assert.equal(listed.statusCode, 200)
  const published = await ctx.app.inject({
    method: 'POST',
    url: `/api/publishers/contoso/offers/${VM_OFFER}/publish${API}`,
    headers: { authorization, 'content-type': 'application/json' },
    payload: JSON.stringify({ metadata: {} }),
  })
  assert.equal(published.statusCode, 202, published.body)
  ctx.clock.advance(60_000)
  assert.ok((await ctx.app.publishingWorker.runOnce()) > 0)
  await ctx.app.close() // exports what is buffered

  const spans = receiver.spans
  const childrenOf = (parent: ReceivedSpan) => spans.filter((span) => span.parentSpanId === parent.spanId)
  const descendantsOf = (parent: ReceivedSpan): ReceivedSpan[] =>
    childrenOf(parent).flatMap((child) => [child, ...descendantsOf(child)])
  const system = ctx.stores.dialect === 'postgres' ? 'postgresql' : 'sqlite'

  // The list: a child of the caller's span, in the caller's trace, its tracestate kept.
  const list = spans.find((span) => span.name === 'GET /api/publishers/:publisherId/offers')
  assert.ok(list, `a span for the list among ${spans.map((span) => span.name).join(', ')}`)
  assert.equal(list.kind, SERVER)
  assert.equal(list.traceId, TRACE_ID)
  assert.equal(list.parentSpanId, CALLER_SPAN)
  assert.equal(list.traceState, 'vendor=opaque')
  assert.equal(list.attributes['http.route'], '/api/publishers/:publisherId/offers')
  assert.equal(list.attributes['http.response.status_code'], 200)
  assert.equal(list.serviceName, 'cloudpartner-test')
  const statements = childrenOf(list)
  assert.ok(statements.length >= 2, 'the caller lookup and the list, each a span')
  for (const statement of statements) {
    assert.equal(statement.kind, CLIENT)
    assert.equal(statement.traceId, TRACE_ID)
    assert.equal(statement.attributes['db.system.name'], system)
    assert.match(String(statement.attributes['db.query.text']), /^\s*SELECT/i)
  }

  // The publish: a trace of its own, its transaction a child, the inserts children of that.
  const publish = spans.find(
    (span) => span.name === 'POST /api/publishers/:publisherId/offers/:offerId/publish',
  )
  assert.ok(publish)
  assert.notEqual(publish.traceId, TRACE_ID)
  assert.equal(publish.parentSpanId || undefined, undefined, 'a root: the client sent no traceparent')
  const transaction = childrenOf(publish).find((span) => span.name === 'transaction')
  assert.ok(transaction, 'the unit of work, under the request')
  assert.ok(childrenOf(transaction).some((span) => span.name === 'INSERT'))

  // The worker: a span per operation advanced, with its statements below it.
  const advance = spans.find((span) => span.name === 'publishing.advance')
  assert.ok(advance)
  assert.ok(descendantsOf(advance).some((span) => span.name === 'UPDATE' && span.kind === CLIENT))

  // The log line of the list names its trace.
  const line = lines.find((entry) => entry.msg === 'request completed' && entry.traceId === TRACE_ID)
  assert.ok(line, 'the request line carries the trace id')
  assert.equal(line.publisherId, 'contoso')
  assert.equal(line.tenantId, owner.tenantId)
  assert.equal(line.clientId, owner.clientId)
  assert.match(String(line.correlationId), /^[0-9a-f-]{36}$/)
})

test('the default protocol is OTLP/HTTP protobuf, to the traces path of the endpoint', async (t) => {
  const receiver = await startOtlpReceiver(t)
  const ctx = await startTestApp(t, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/` } })
  assert.equal((await ctx.app.inject({ url: '/health/live' })).statusCode, 200)
  await ctx.app.close()
  assert.ok(receiver.requests.length > 0)
  for (const request of receiver.requests) {
    assert.equal(request.path, '/v1/traces')
    assert.equal(request.contentType, 'application/x-protobuf')
    assert.ok(request.bytes > 0)
  }
})

test('without an OTEL endpoint nothing of OpenTelemetry is loaded: the SDK is imported dynamically', (t) => {
  const server = importClosure('src/server.ts', { dynamic: false })
  assert.deepEqual(
    server.packages.filter((name) => name.startsWith('@opentelemetry/')),
    [],
    'no static import of OpenTelemetry from the server',
  )
  assert.ok(!server.files.includes('src/observability/otel-tracing.ts'))
  t.diagnostic(`${server.files.length} modules load statically`)
})
