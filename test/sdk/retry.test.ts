import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { test } from 'node:test'
import {
  AadTokenError,
  backoffDelay,
  CLOUD_PARTNER_SCOPE,
  CloudPartnerClient,
  CppApiError,
  CppNetworkError,
  clientCredentials,
  parseRetryAfter,
  type RetryEvent,
  type TokenCredential,
} from '../../src/sdk/index.ts'
import { fakeRuntime, scriptedServer, tokenAnswer } from './helpers/scripted-server.ts'

/*
 * Retries, Retry-After, token refresh and error mapping, against a scripted HTTP server on
 * loopback, with a runtime whose sleeps pass at once: nothing here waits for real.
 */

const OFFERS = '/api/publishers/contoso/offers'
const EMPTY_OK = { status: 200, body: [] }
const unavailable = (headers: Record<string, string> = {}) => ({
  status: 503,
  headers: { 'x-ms-request-id': 'req-503', ...headers },
  body: { error: { code: 'ServiceUnavailable', message: 'Try again shortly.' } },
})

/** The token a credential gives for the API. */
async function token(credential: TokenCredential): Promise<string | undefined> {
  return (await credential.getToken(CLOUD_PARTNER_SCOPE))?.token
}

function clientOf(
  url: string,
  runtime = fakeRuntime(),
  extra: Partial<ConstructorParameters<typeof CloudPartnerClient>[0]> = {},
) {
  return new CloudPartnerClient({ endpoint: url, credential: { token: 't0k3n' }, runtime, ...extra })
}

test('503 and 429 are retried, waiting as Retry-After says: seconds, or an HTTP date', async (t) => {
  const runtime = fakeRuntime()
  // Ten seconds from the start: seven after the first wait of three.
  const date = new Date(runtime.now() + 10_000).toUTCString()
  const server = await scriptedServer(t, {
    [OFFERS]: [
      unavailable({ 'retry-after': '3' }),
      { status: 429, headers: { 'retry-after': date } },
      EMPTY_OK,
    ],
  })
  const events: RetryEvent[] = []
  const client = clientOf(server.url, runtime, { retry: { onRetry: (event) => events.push(event) } })
  assert.deepEqual(await client.offers.list('contoso'), [])
  assert.equal(server.count(OFFERS), 3)
  assert.deepEqual(runtime.sleeps, [3000, 7000])
  assert.deepEqual(
    events.map((event) => [event.attempt, event.status]),
    [
      [1, 503],
      [2, 429],
    ],
  )
  // One correlation id across the attempts of one call, the token and api-version on each.
  const ids = new Set(server.requests.map((request) => request.headers['x-ms-correlation-request-id']))
  assert.equal(ids.size, 1)
  assert.ok(server.requests.every((request) => request.headers.authorization === 'Bearer t0k3n'))
})

test('5xx without Retry-After backs off exponentially with jitter, then gives up with the API error', async (t) => {
  const runtime = fakeRuntime()
  const server = await scriptedServer(t, { [OFFERS]: [unavailable()] })
  const client = clientOf(server.url, runtime, { retry: { maxAttempts: 4, baseDelayMs: 100 } })
  const error = await client.offers.list('contoso').then(
    () => assert.fail('resolved'),
    (caught: unknown) => caught,
  )
  assert.ok(error instanceof CppApiError)
  assert.deepEqual(
    [error.status, error.code, error.message, error.requestId],
    [503, 'ServiceUnavailable', 'Try again shortly.', 'req-503'],
  )
  assert.equal(server.count(OFFERS), 4)
  // random() is 0.5: three quarters of 100, 200, 400.
  assert.deepEqual(runtime.sleeps, [75, 150, 300])
  assert.deepEqual(
    [1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, { baseDelayMs: 500, maxDelayMs: 30_000 }, 1)),
    [500, 1000, 2000, 4000, 30_000],
  )
  assert.equal(backoffDelay(3, { baseDelayMs: 500, maxDelayMs: 30_000 }, 0), 1000)
})

test('4xx other than 429 are never retried', async (t) => {
  for (const status of [400, 401, 403, 404, 409, 412, 422]) {
    const server = await scriptedServer(t, {
      [OFFERS]: [{ status, body: { error: { code: 'Nope', message: `status ${status}` } } }, EMPTY_OK],
    })
    const runtime = fakeRuntime()
    await assert.rejects(clientOf(server.url, runtime).offers.list('contoso'), { status, code: 'Nope' })
    assert.equal(server.count(OFFERS), 1, `status ${status}`)
    assert.deepEqual(runtime.sleeps, [])
  }
})

test('a Retry-After longer than the SDK waits for fails at once, saying how long was asked', async (t) => {
  const server = await scriptedServer(t, { [OFFERS]: [unavailable({ 'retry-after': '3600' }), EMPTY_OK] })
  const runtime = fakeRuntime()
  await assert.rejects(clientOf(server.url, runtime).offers.list('contoso'), (error: unknown) => {
    assert.ok(error instanceof CppApiError)
    assert.equal(error.retryAfterMs, 3_600_000)
    return true
  })
  assert.deepEqual(runtime.sleeps, [])
})

test('cancel, which must not run twice, is retried only when the server did not process it', async (t) => {
  const cancel = '/api/publishers/contoso/offers/o/cancel'
  const server = await scriptedServer(t, {
    [cancel]: [
      { status: 500, body: { error: { code: 'InternalServerError', message: 'boom' } } },
      { status: 200 },
    ],
  })
  await assert.rejects(clientOf(server.url).offers.cancel('contoso', 'o'), { status: 500 })
  assert.equal(server.count(cancel), 1)

  const busy = await scriptedServer(t, { [cancel]: [unavailable({ 'retry-after': '1' }), { status: 200 }] })
  assert.deepEqual(await clientOf(busy.url).offers.cancel('contoso', 'o'), {
    location: undefined,
    canceled: true,
  })
  assert.equal(busy.count(cancel), 2)
})

test('no connection: retried, then a CppNetworkError naming the cause', async () => {
  // A port that was free a moment ago: nothing listens there.
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number }
      probe.close(() => resolve(free))
    })
  })
  const runtime = fakeRuntime()
  const client = clientOf(`http://127.0.0.1:${port}`, runtime, { retry: { maxAttempts: 3, baseDelayMs: 10 } })
  await assert.rejects(client.offers.list('contoso'), (error: unknown) => {
    assert.ok(error instanceof CppNetworkError)
    assert.equal(error.attempts, 3)
    assert.match(error.message, /ECONNREFUSED/)
    return true
  })
  assert.equal(runtime.sleeps.length, 2)
})

test('a URL that fetch refuses before connecting (a "bad port") fails on the first attempt', async () => {
  // 6000 (X11) is a "bad port" of the Fetch standard: no request ever leaves, however often tried.
  const runtime = fakeRuntime()
  const client = clientOf('http://127.0.0.1:6000', runtime)
  await assert.rejects(client.offers.list('contoso'), (error: unknown) => {
    assert.ok(error instanceof CppNetworkError)
    assert.equal(error.attempts, 1)
    assert.match(error.message, /bad port/)
    return true
  })
  const credential = clientCredentials({
    authority: 'http://127.0.0.1:6000',
    tenantId: 'tenant',
    clientId: 'client',
    clientSecret: 'secret',
    runtime,
  })
  await assert.rejects(token(credential), (error: unknown) => {
    assert.ok(error instanceof CppNetworkError)
    assert.equal(error.attempts, 1)
    return true
  })
  assert.equal(runtime.sleeps.length, 0)
})

test('the abort signal stops retrying at once', async (t) => {
  const server = await scriptedServer(t, { [OFFERS]: [unavailable({ 'retry-after': '5' })] })
  const controller = new AbortController()
  const runtime = fakeRuntime()
  const client = clientOf(server.url, { ...runtime, sleep: async () => controller.abort(new Error('stop')) })
  await assert.rejects(client.offers.list('contoso', { signal: controller.signal }), /stop/)
  assert.equal(server.count(OFFERS), 1)
})

test('Retry-After: seconds, fractions, HTTP dates, nonsense', () => {
  const now = Date.parse('2026-11-21T10:00:00Z')
  assert.equal(parseRetryAfter('120', now), 120_000)
  assert.equal(parseRetryAfter(' 1.5 ', now), 1500)
  assert.equal(parseRetryAfter('Sat, 21 Nov 2026 10:00:30 GMT', now), 30_000)
  assert.equal(parseRetryAfter('Sat, 21 Nov 2026 09:00:00 GMT', now), 0)
  assert.equal(parseRetryAfter('soon', now), undefined)
  assert.equal(parseRetryAfter('-1', now), undefined)
  assert.equal(parseRetryAfter(null, now), undefined)
})

test('client credentials: v2 scope form, one request for concurrent callers, refreshed before expiry', async (t) => {
  const tokenPath = '/tenant-1/oauth2/v2.0/token'
  const server = await scriptedServer(t, {
    [tokenPath]: [tokenAnswer('first', 3600), tokenAnswer('second', 3600)],
  })
  const runtime = fakeRuntime()
  const credential = clientCredentials({
    authority: server.url,
    tenantId: 'tenant-1',
    clientId: 'app',
    clientSecret: 's3cret',
    runtime,
  })
  assert.equal(credential.tokenEndpoint, `${server.url}${tokenPath}`)
  const tokens = await Promise.all([token(credential), token(credential), token(credential)])
  assert.deepEqual(tokens, ['first', 'first', 'first'])
  assert.equal(server.count(tokenPath), 1)
  const form = new URLSearchParams(server.requests[0]?.body)
  assert.deepEqual(Object.fromEntries(form), {
    grant_type: 'client_credentials',
    client_id: 'app',
    client_secret: 's3cret',
    scope: 'https://cloudpartner.azure.com/.default',
  })

  runtime.advance(3600_000 - 5 * 60_000 - 1)
  assert.equal(await token(credential), 'first')
  runtime.advance(2)
  // Within five minutes of expiry: a new token, still one request for all.
  assert.deepEqual(await Promise.all([token(credential), token(credential)]), ['second', 'second'])
  assert.equal(server.count(tokenPath), 2)
})

test('client credentials: a failed refresh keeps the valid token; a token error is typed', async (t) => {
  const tokenPath = '/tenant-1/oauth2/token'
  const refused = {
    status: 401,
    body: {
      error: 'invalid_client',
      error_description: 'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x\r\nCorrelation ID: y',
      error_codes: [7000215],
      trace_id: 'x',
      correlation_id: 'y',
    },
  }
  const server = await scriptedServer(t, { [tokenPath]: [tokenAnswer('only', 600), refused] })
  const runtime = fakeRuntime()
  const credential = clientCredentials({
    authority: `${server.url}/`,
    endpointVersion: 'v1',
    tenantId: 'tenant-1',
    clientId: 'app',
    clientSecret: 's3cret',
    runtime,
  })
  assert.equal(await token(credential), 'only')
  assert.equal(
    new URLSearchParams(server.requests[0]?.body).get('resource'),
    'https://cloudpartner.azure.com',
  )
  // A tenth of 600 s before expiry: refresh, refused, but the token still works.
  runtime.advance(550_000)
  assert.equal(await token(credential), 'only')
  runtime.advance(60_000)
  await assert.rejects(token(credential), (error: unknown) => {
    assert.ok(error instanceof AadTokenError)
    assert.deepEqual(
      [error.status, error.error, error.codes, error.correlationId],
      [401, 'invalid_client', [7000215], 'y'],
    )
    assert.equal(error.description, 'AADSTS7000215: Invalid client secret provided.')
    return true
  })
})

test('a 401 from the API fetches a new token once and tries again', async (t) => {
  const tokenPath = '/tenant-1/oauth2/v2.0/token'
  const server = await scriptedServer(t, {
    [tokenPath]: [tokenAnswer('revoked'), tokenAnswer('fresh')],
    [OFFERS]: [{ status: 401, body: { error: { code: 'Unauthorized', message: 'revoked' } } }, EMPTY_OK],
  })
  const client = new CloudPartnerClient({
    endpoint: server.url,
    credential: { authority: server.url, tenantId: 'tenant-1', clientId: 'app', clientSecret: 's' },
    runtime: fakeRuntime(),
  })
  assert.deepEqual(await client.offers.list('contoso'), [])
  assert.deepEqual(
    server.requests
      .filter((request) => request.path === OFFERS)
      .map((request) => request.headers.authorization),
    ['Bearer revoked', 'Bearer fresh'],
  )
  // A static token cannot be renewed: its 401 is the answer.
  const fixed = await scriptedServer(t, {
    [OFFERS]: [{ status: 401, body: { error: { code: 'Unauthorized', message: 'expired' } } }],
  })
  await assert.rejects(clientOf(fixed.url).offers.list('contoso'), { status: 401, message: 'expired' })
  assert.equal(fixed.count(OFFERS), 1)
})

test('token requests are retried on 503 like API calls', async (t) => {
  const tokenPath = '/tenant-1/oauth2/v2.0/token'
  const server = await scriptedServer(t, {
    [tokenPath]: [{ status: 503, headers: { 'retry-after': '2' } }, tokenAnswer('late')],
    [OFFERS]: [EMPTY_OK],
  })
  const runtime = fakeRuntime()
  const client = new CloudPartnerClient({
    endpoint: server.url,
    credential: { authority: server.url, tenantId: 'tenant-1', clientId: 'app', clientSecret: 's' },
    runtime,
  })
  assert.deepEqual(await client.offers.list('contoso'), [])
  assert.deepEqual(runtime.sleeps, [2000])
})

test('answers that are not the CPP envelope still make a readable error', async (t) => {
  const server = await scriptedServer(t, {
    [OFFERS]: [{ status: 502, body: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } }],
    '/api/publishers': [
      { status: 401, body: { Message: 'Authorization has been denied for this request.' } },
    ],
  })
  const client = clientOf(server.url, fakeRuntime(), { retry: { maxAttempts: 1 } })
  await assert.rejects(client.offers.list('contoso'), {
    status: 502,
    code: 'Http502',
    message: 'HTTP 502 Bad Gateway',
  })
  await assert.rejects(client.publishers.list(), {
    status: 401,
    code: 'Http401',
    message: 'Authorization has been denied for this request.',
  })
})

test('Operation.wait() polls when the operation answer says in Retry-After, else at its interval', async (t) => {
  const runtime = fakeRuntime()
  const location = '/api/operations/contoso$vm$1$staging'
  const running = { id: 'op', status: 'running', steps: [] }
  const server = await scriptedServer(t, {
    [location]: [
      { status: 200, headers: { 'retry-after': '42' }, body: running },
      { status: 200, body: running },
      { status: 200, body: { id: 'op', status: 'complete', steps: [] } },
    ],
  })
  const detail = await clientOf(server.url, runtime).operations.fromLocation(location).wait({
    pollIntervalMs: 1000,
  })
  assert.equal(detail.status, 'complete')
  assert.equal(server.count(location), 3)
  assert.deepEqual(runtime.sleeps, [42_000, 1000])
})
