import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type RetryEvent, systemRuntime } from '../../src/sdk/index.ts'
import { scrape, total } from '../helpers/metrics-text.ts'
import { startTestApp } from '../helpers/test-app.ts'
import { listOffers } from '../helpers/token-requests.ts'
import { startSdkServer } from '../sdk/helpers/sdk-server.ts'

test('--api-rate-limit: past its rate a principal gets 429 TooManyRequests in the envelope with Retry-After; others do not', async (t) => {
  const ctx = await startTestApp(t, { settings: { 'api-rate-limit': '2' } })
  await ctx.createPublisher('contoso')
  const [busy, quiet] = [await ctx.createPrincipal(), await ctx.createPrincipal()]
  await ctx.grant(busy, 'contoso', 'Owner')
  await ctx.grant(quiet, 'contoso', 'Owner')
  const bearer = async (principal: typeof busy) => `Bearer ${await ctx.tokenFor(principal)}`
  assert.equal((await listOffers(ctx.app, 'contoso', await bearer(busy))).statusCode, 200)
  assert.equal((await listOffers(ctx.app, 'contoso', await bearer(busy))).statusCode, 200)
  const refused = await listOffers(ctx.app, 'contoso', await bearer(busy))
  assert.equal(refused.statusCode, 429)
  assert.equal(refused.headers['retry-after'], '30')
  assert.ok(refused.headers['x-ms-request-id'])
  assert.deepEqual(refused.json(), {
    error: {
      code: 'TooManyRequests',
      message: 'Too many requests from this principal. Retry after 30 seconds.',
    },
  })
  assert.equal((await listOffers(ctx.app, 'contoso', await bearer(quiet))).statusCode, 200)
  const { samples } = await scrape(ctx.app)
  assert.equal(total(samples, 'cloudpartner_throttled_requests_total', { limit: 'api-principal' }), 1)
  ctx.clock.advance(30_000)
  assert.equal((await listOffers(ctx.app, 'contoso', await bearer(busy))).statusCode, 200)
})

test('--api-rate-limit is off by default in development and 1200 a minute in production mode', async (t) => {
  const development = await startTestApp(t)
  assert.equal(development.config.apiRateLimit, 0)
  const production = await startTestApp(t, { settings: { production: true } })
  assert.equal(production.config.apiRateLimit, 1200)
})

test('the SDK waits as the throttled API says in Retry-After, then succeeds', async (t) => {
  const server = await startSdkServer(t, { 'api-rate-limit': '60' })
  const events: RetryEvent[] = []
  const sleeps: number[] = []
  const client = server.clientFor(server.owner, {
    runtime: {
      ...systemRuntime,
      sleep: (ms, signal) => {
        sleeps.push(ms)
        return systemRuntime.sleep(ms, signal)
      },
    },
    retry: { onRetry: (event) => events.push(event) },
  })
  // A burst of 60 is allowed; the calls after it are throttled, waited for, and answered.
  for (let call = 0; call < 120 && events.length === 0; call += 1) {
    assert.ok(Array.isArray(await client.offers.list('contoso')))
  }
  assert.equal(events[0]?.status, 429)
  assert.deepEqual(sleeps, [1000], 'one request a second: Retry-After 1')
})
