import assert from 'node:assert/strict'
import { test } from 'node:test'
import { scrape, total } from '../helpers/metrics-text.ts'
import { startPublishingApp, VM_OFFER } from '../helpers/publishing.ts'
import { API, startTestApp } from '../helpers/test-app.ts'
import { postForm, tokenPath, v1Form } from '../helpers/token-requests.ts'

/**
 * The metrics move as they should under a scripted sequence of requests and publishes, on the
 * backend under test (CLOUDPARTNER_TEST_STORE), read from /metrics as Prometheus reads them.
 */
const HTTP = 'cloudpartner_http_request_duration_seconds_count'
const LIST_ROUTE = '/api/publishers/:publisherId/offers'
const OFFER_ROUTE = '/api/publishers/:publisherId/offers/:offerId'

test('requests, tokens, the answer cache, publishing and the database move their metrics', async (t) => {
  const p = await startPublishingApp(t)
  const { app } = p.ctx
  const backend = p.ctx.stores.dialect
  const before = (await scrape(app)).samples

  // Requests: counted by route template, never by the ids in the URL.
  assert.equal((await p.call('GET', '/api/publishers/contoso/offers')).statusCode, 200)
  assert.equal((await p.offer('GET', VM_OFFER)).statusCode, 200)
  assert.equal((await p.offer('GET', VM_OFFER)).statusCode, 200)
  assert.equal((await p.offer('GET', 'no-such-offer')).statusCode, 404)
  assert.equal((await app.inject({ url: '/no/such/path' })).statusCode, 404)
  // Tokens: one issued, one refused, one without a grant type.
  assert.equal((await postForm(app, tokenPath(p.owner.tenantId), v1Form(p.owner))).statusCode, 200)
  const wrong = { ...v1Form(p.owner), client_secret: 'wrong' }
  assert.equal((await postForm(app, tokenPath(p.owner.tenantId), wrong)).statusCode, 401)
  const { grant_type: _omitted, ...noGrant } = v1Form(p.owner)
  assert.equal((await postForm(app, tokenPath(p.owner.tenantId, 'v2'), noGrant)).statusCode, 400)

  const read = await scrape(app)
  const delta = (name: string, labels: Record<string, string> = {}) =>
    total(read.samples, name, labels) - total(before, name, labels)
  assert.equal(delta(HTTP, { method: 'GET', route: LIST_ROUTE, status_class: '2xx' }), 1)
  assert.equal(delta(HTTP, { method: 'GET', route: OFFER_ROUTE, status_class: '2xx' }), 2)
  assert.equal(delta(HTTP, { method: 'GET', route: OFFER_ROUTE, status_class: '4xx' }), 1)
  assert.equal(delta(HTTP, { route: 'unmatched', status_class: '4xx' }), 1)
  for (const sample of read.samples.filter((s) => s.name.startsWith('cloudpartner_http_')))
    assert.doesNotMatch(JSON.stringify(sample.labels), /contoso|no-such/, 'no ids in label values')
  const tokens = 'cloudpartner_token_requests_total'
  assert.equal(delta(tokens, { grant_type: 'client_credentials', version: 'v1', outcome: 'issued' }), 1)
  assert.equal(
    delta(tokens, { grant_type: 'client_credentials', version: 'v1', outcome: 'invalid_client' }),
    1,
  )
  assert.equal(delta(tokens, { grant_type: 'missing', version: 'v2', outcome: 'invalid_request' }), 1)
  // The first GET rendered the offer, the second was served from the cache.
  assert.equal(delta('cloudpartner_offer_answer_cache_misses_total'), 1)
  assert.equal(delta('cloudpartner_offer_answer_cache_hits_total'), 1)
  assert.ok(total(read.samples, 'cloudpartner_offer_answer_cache_bytes') > 0)
  assert.ok(delta('cloudpartner_db_statement_duration_seconds_count', { backend, verb: 'select' }) > 0)
  assert.equal(delta('cloudpartner_db_statement_errors_total', { backend }), 0)
  // (Waiting may be above 0 on PostgreSQL: the scrape's own query can wait for a new connection.)
  assert.ok(
    read.samples.some((s) => s.name === 'cloudpartner_db_pool_waiting' && s.labels.backend === backend),
  )
  assert.ok(
    read.samples.some(
      (s) => s.name === 'cloudpartner_db_pool_connections_in_use' && s.labels.backend === backend,
    ),
  )
  assert.ok(total(read.samples, 'process_cpu_user_seconds_total') > 0, 'process metrics')
  assert.equal(total(read.samples, 'cloudpartner_build_info'), 1)

  // A publish: started, in flight at its first step, then finished waiting for sign-off.
  const publish = await p.offer('POST', `${VM_OFFER}/publish`, {
    metadata: { 'notification-emails': 'ops@contoso.com' },
  })
  assert.equal(publish.statusCode, 202, publish.body)
  // (The sample offers' history, seeded through the same store, published some already.)
  const running = (await scrape(app)).samples
  const moved = (after: typeof running, name: string, labels: Record<string, string> = {}) =>
    total(after, name, labels) - total(read.samples, name, labels)
  assert.equal(moved(running, 'cloudpartner_publishing_operations_started_total', { kind: 'publish' }), 1)
  assert.equal(moved(running, 'cloudpartner_publishing_operations_in_flight'), 1)
  assert.equal(moved(running, 'cloudpartner_outbox_messages_total', { event: 'started' }), 1)
  const steps = await p.settle()
  assert.ok(steps > 0)
  const settled = (await scrape(app)).samples
  const finished = 'cloudpartner_publishing_operations_finished_total'
  assert.equal(moved(settled, finished, { kind: 'publish', outcome: 'waitingForPublisherReview' }), 1)
  assert.equal(moved(settled, 'cloudpartner_publishing_operations_in_flight'), 1, 'waiting for sign-off')
  const stepCount = 'cloudpartner_publishing_step_duration_seconds_count'
  assert.ok(moved(settled, stepCount, { outcome: 'complete' }) > 0)
  assert.ok(moved(settled, 'cloudpartner_publishing_worker_lag_seconds_count') > 0)

  // Canceled while waiting: no longer in flight; it had already finished its own work.
  const cancel = await p.offer('POST', `${VM_OFFER}/cancel`)
  assert.ok(cancel.statusCode < 300, cancel.body)
  const canceled = (await scrape(app)).samples
  assert.equal(moved(canceled, 'cloudpartner_publishing_operations_in_flight'), 0)
  assert.equal(moved(canceled, finished), 1)
})

test('a failed statement is counted as an error of its backend', async (t) => {
  const ctx = await startTestApp(t)
  const before = total((await scrape(ctx.app)).samples, 'cloudpartner_db_statement_errors_total')
  // Any statement the database refuses: the observation point is below every store.
  await assert.rejects(
    ctx.stores.transaction((set) => set.offers.importOffers([], 'not a time', [{} as never])),
  )
  const after = (await scrape(ctx.app)).samples
  assert.ok(
    total(after, 'cloudpartner_db_statement_errors_total', { backend: ctx.stores.dialect }) > before,
    'counted',
  )
})

test('/metrics answers OpenMetrics to a scraper that asks for it, and the text format otherwise', async (t) => {
  const ctx = await startTestApp(t)
  const open = await ctx.app.inject({
    url: '/metrics',
    headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' },
  })
  assert.match(String(open.headers['content-type']), /^application\/openmetrics-text; version=1\.0\.0/)
  assert.match(open.body, /# EOF\n$/)
  const text = await ctx.app.inject({ url: '/metrics' })
  assert.match(String(text.headers['content-type']), /^text\/plain; version=0\.0\.4/)
  assert.doesNotMatch(text.body, /# EOF/)
  // An OpenMetrics scrape before it left the text format's counter names as they were.
  assert.match(text.body, /^# TYPE cloudpartner_token_requests_total counter$/m)
  assert.match(open.body, /^# TYPE cloudpartner_token_requests counter$/m)
})

test('a production server does not answer /metrics on its API port; --no-metrics collects none', async (t) => {
  const production = await startTestApp(t, { settings: { production: true } })
  assert.equal((await production.app.inject({ url: '/metrics' })).statusCode, 404)
  assert.ok(production.telemetry.metrics, 'collected, for --metrics-port')
  const off = await startTestApp(t, { settings: { metrics: false } })
  assert.equal(off.telemetry.metrics, undefined)
  assert.equal((await off.app.inject({ url: `/metrics${API}` })).statusCode, 404)
})
