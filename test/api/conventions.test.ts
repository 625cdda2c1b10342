import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { InjectOptions } from 'fastify'
import { API, startTestApp } from '../helpers/test-app.ts'

async function withContoso(t: Parameters<typeof startTestApp>[0], settings: Record<string, string> = {}) {
  const ctx = await startTestApp(t, { settings })
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso')
  return { ctx, auth: { authorization: `Bearer ${await ctx.tokenFor(principal)}` } }
}

function assertEnvelope(body: string, code: string): string {
  const parsed = JSON.parse(body) as { error: { code: string; message: string } }
  assert.deepEqual(Object.keys(parsed), ['error'])
  assert.deepEqual(Object.keys(parsed.error), ['code', 'message'])
  assert.equal(parsed.error.code, code)
  return parsed.error.message
}

test('api-version missing or unknown: 400 InvalidAPIVersion naming the allowed versions', async (t) => {
  const { ctx, auth } = await withContoso(t)
  for (const query of ['', '?api-version=2099-01-01', '?api-version=', `${API}&api-version=2017-10-31`]) {
    const response = await ctx.app.inject({ url: `/api/publishers/contoso/offers${query}`, headers: auth })
    assert.equal(response.statusCode, 400, query)
    assert.equal(response.headers['content-type'], 'application/json; charset=utf-8')
    assert.equal(
      assertEnvelope(response.body, 'InvalidAPIVersion'),
      'Invalid api version. Allowed values are [2016-08-01-preview, 2017-10-31]',
    )
  }
  const older = await ctx.app.inject({ url: '/api/offerTypes?api-version=2016-08-01-preview', headers: auth })
  assert.equal(older.statusCode, 200)
})

test('the api-version check can be switched off, as emulator users ask', async (t) => {
  const { ctx, auth } = await withContoso(t, { 'skip-api-version-check': 'true' })
  for (const query of ['', '?api-version=2099-01-01']) {
    const response = await ctx.app.inject({ url: `/api/publishers/contoso/offers${query}`, headers: auth })
    assert.equal(response.statusCode, 200, query)
  }
})

test('trailing and doubled slashes are insignificant', async (t) => {
  const { ctx, auth } = await withContoso(t)
  for (const path of [
    '/api/publishers/contoso/offers/',
    '/api/publishers//contoso/offers',
    '/api/publishers/',
  ]) {
    const response = await ctx.app.inject({ url: `${path}${API}`, headers: auth })
    assert.equal(response.statusCode, 200, path)
  }
})

test('every response carries x-ms-request-id and echoes the correlation id', async (t) => {
  const { ctx, auth } = await withContoso(t)
  const correlation = '6f0bd9f0-1111-4c3a-9d7e-0123456789ab'
  const ok = await ctx.app.inject({
    url: `/api/publishers/contoso/offers${API}`,
    headers: { ...auth, 'x-ms-correlation-request-id': correlation },
  })
  const failed = await ctx.app.inject({ url: `/api/publishers/contoso/offers${API}` })
  const other = await ctx.app.inject({ url: `/api/publishers/contoso/offers${API}`, headers: auth })
  assert.equal(ok.headers['x-ms-correlation-request-id'], correlation)
  for (const response of [ok, failed, other]) {
    assert.match(String(response.headers['x-ms-request-id']), /^[0-9a-f-]{36}$/)
    assert.match(String(response.headers['x-ms-correlation-request-id']), /^[0-9a-f-]{36}$/)
    assert.equal(response.headers['cache-control'], 'no-cache')
  }
  assert.notEqual(ok.headers['x-ms-request-id'], other.headers['x-ms-request-id'])
  assert.notEqual(other.headers['x-ms-correlation-request-id'], ok.headers['x-ms-correlation-request-id'])
})

test('a correlation id that is not an id is replaced, never echoed', async (t) => {
  const { ctx, auth } = await withContoso(t)
  const response = await ctx.app.inject({
    url: `/api/publishers/contoso/offers${API}`,
    headers: { ...auth, 'x-ms-correlation-request-id': 'x\u0001<script>' },
  })
  assert.match(String(response.headers['x-ms-correlation-request-id']), /^[0-9a-f-]{36}$/)
})

test('routing, validation and body errors all answer in the error envelope', async (t) => {
  const { ctx, auth } = await withContoso(t)
  const cases: { request: InjectOptions; status: number; code: string }[] = [
    { request: { url: `/api/nothing-here${API}`, headers: auth }, status: 404, code: 'NotFound' },
    { request: { url: '/no/such/path' }, status: 404, code: 'NotFound' },
    {
      request: { method: 'DELETE' as const, url: `/api/publishers/contoso/offers${API}`, headers: auth },
      status: 404,
      code: 'NotFound',
    },
    {
      request: { url: `/api/publishers/contoso/offers${API}&$filter=a&$filter=b`, headers: auth },
      status: 400,
      code: 'BadRequest',
    },
    {
      request: {
        method: 'DELETE' as const,
        url: `/api/publishers/contoso/offers${API}`,
        headers: { ...auth, 'content-type': 'application/json' },
        payload: '{not json',
      },
      status: 400,
      code: 'BadRequest',
    },
    {
      // The charset parameter real clients add must reach the same JSON parser, not a 415.
      request: {
        method: 'DELETE' as const,
        url: `/api/publishers/contoso/offers${API}`,
        headers: { ...auth, 'content-type': 'application/json; charset=utf-8' },
        payload: '{not json',
      },
      status: 400,
      code: 'BadRequest',
    },
  ]
  for (const { request, status, code } of cases) {
    const response = await ctx.app.inject(request)
    assert.equal(response.statusCode, status, JSON.stringify(request))
    assert.equal(response.headers['content-type'], 'application/json; charset=utf-8')
    assertEnvelope(response.body, code)
  }
})

test('clients send Content-Type: application/json on GETs, with or without a body', async (t) => {
  const { ctx, auth } = await withContoso(t)
  const response = await ctx.app.inject({
    url: `/api/publishers/contoso/offers${API}`,
    headers: { ...auth, 'content-type': 'application/json', accept: 'application/json' },
  })
  assert.equal(response.statusCode, 200)
})

test('401 before anything else is looked at, in the envelope, with a Bearer challenge', async (t) => {
  const { ctx } = await withContoso(t)
  const response = await ctx.app.inject({ url: '/api/publishers/contoso/offers' })
  assert.equal(response.statusCode, 401)
  assert.match(String(response.headers['www-authenticate']), /^Bearer/)
  assertEnvelope(response.body, 'Unauthorized')
})
