import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { FREE_FAILURES } from '../../src/token-service/token-throttle.ts'
import { startTestApp } from '../helpers/test-app.ts'
import { assertAadError, tokenPath, v1Form } from '../helpers/token-requests.ts'

function post(
  app: Awaited<ReturnType<typeof startTestApp>>['app'],
  url: string,
  fields: Record<string, string>,
  remoteAddress = '198.51.100.7',
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    remoteAddress,
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
}

function assertThrottled(response: LightMyRequestResponse, retryAfter: number): void {
  assertAadError(response, 429, 'temporarily_unavailable', 90055)
  assert.equal(response.headers['retry-after'], String(retryAfter))
}

test('the token endpoint: a client id past its rate gets AADSTS90055 429 with Retry-After, from any address', async (t) => {
  const ctx = await startTestApp(t, { settings: { 'token-rate-limit': '3' } })
  const principal = await ctx.createPrincipal()
  const path = tokenPath(principal.tenantId)
  for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
    assert.equal((await post(ctx.app, path, v1Form(principal), address)).statusCode, 200)
  }
  // Three a minute: the next one is due in 20 s, wherever it comes from.
  assertThrottled(await post(ctx.app, path, v1Form(principal), '198.51.100.4'), 20)
  const other = await ctx.createPrincipal()
  assert.equal((await post(ctx.app, path, v1Form(other), '198.51.100.4')).statusCode, 200, 'another client')
  ctx.clock.advance(20_000)
  assert.equal((await post(ctx.app, path, v1Form(principal), '198.51.100.4')).statusCode, 200)
})

test('the token endpoint: one address past its rate is refused whatever client id it names', async (t) => {
  const ctx = await startTestApp(t, { settings: { 'token-rate-limit': '2' } })
  const principal = await ctx.createPrincipal()
  const path = tokenPath(principal.tenantId)
  const unknown = (n: number) => ({
    ...v1Form(principal),
    client_id: `00000000-0000-4000-8000-00000000000${n}`,
  })
  assert.equal((await post(ctx.app, path, unknown(1))).statusCode, 400)
  assert.equal((await post(ctx.app, path, unknown(2))).statusCode, 400)
  assertThrottled(await post(ctx.app, path, unknown(3)), 30)
  assertThrottled(await post(ctx.app, path, v1Form(principal)), 30)
  assert.equal((await post(ctx.app, path, v1Form(principal), '198.51.100.8')).statusCode, 200)
})

test('wrong secrets back off per client and address, doubling; the right secret then resets it', async (t) => {
  const ctx = await startTestApp(t, { settings: { 'token-rate-limit': '0' } })
  const principal = await ctx.createPrincipal()
  const path = tokenPath(principal.tenantId)
  const wrong = { ...v1Form(principal), client_secret: 'not-the-secret' }
  for (let attempt = 0; attempt < FREE_FAILURES; attempt += 1) {
    assertAadError(await post(ctx.app, path, wrong), 401, 'invalid_client', 7000215)
  }
  // Refused before the secret is even checked, the right one too, from this address.
  assertThrottled(await post(ctx.app, path, v1Form(principal)), 1)
  assert.equal((await post(ctx.app, path, v1Form(principal), '203.0.113.9')).statusCode, 200, 'elsewhere')
  ctx.clock.advance(1000)
  assertAadError(await post(ctx.app, path, wrong), 401, 'invalid_client', 7000215)
  assertThrottled(await post(ctx.app, path, wrong), 2)
  ctx.clock.advance(2000)
  assertAadError(await post(ctx.app, path, wrong), 401, 'invalid_client', 7000215)
  assertThrottled(await post(ctx.app, path, v1Form(principal)), 4)
  ctx.clock.advance(4000)
  assert.equal((await post(ctx.app, path, v1Form(principal))).statusCode, 200)
  assertAadError(await post(ctx.app, path, wrong), 401, 'invalid_client', 7000215)
  assertAadError(await post(ctx.app, path, wrong), 401, 'invalid_client', 7000215)
})

test('throttled token requests are reported to the listeners (the hook for a metrics counter)', async (t) => {
  const ctx = await startTestApp(t, { settings: { 'token-rate-limit': '1' } })
  const events: unknown[] = []
  ctx.services.onThrottled((event) => events.push(event))
  const principal = await ctx.createPrincipal()
  const path = tokenPath(principal.tenantId)
  await post(ctx.app, path, v1Form(principal))
  await post(ctx.app, path, v1Form(principal))
  assert.deepEqual(events, [{ endpoint: 'token', reason: 'address' }])
})
