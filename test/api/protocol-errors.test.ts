import assert from 'node:assert/strict'
import { test } from 'node:test'
import { portOf, type RawAnswer, rawRequest } from '../helpers/raw-http.ts'
import { API, startTestApp, TEST_TENANT } from '../helpers/test-app.ts'

/**
 * Every answer the server gives is in the error envelope with a request id, including those of
 * Node's HTTP parser and Fastify's router, which had bodies of their own (or none) before.
 */
function assertEnvelope(answer: RawAnswer, status: number, code: string): void {
  assert.equal(answer.status, status, answer.body)
  assert.match(answer.headers['content-type'] ?? '', /^application\/json/)
  assert.match(answer.headers['x-ms-request-id'] ?? '', /^[0-9a-f-]{36}$/)
  const body = JSON.parse(answer.body) as { error: { code: string; message: string } }
  assert.equal(body.error.code, code)
  assert.equal(typeof body.error.message, 'string')
}

const listening = async (t: Parameters<typeof startTestApp>[0], settings = {}) => {
  const ctx = await startTestApp(t, { settings })
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  return { port: portOf(ctx.app), ctx }
}

test('the router: a path that does not decode is 400 without echoing it; a segment over 100 characters is 414', async (t) => {
  const { port } = await listening(t)
  const bad = await rawRequest(port, `GET /api/publishers/%zz/offers${API} HTTP/1.1\r\nHost: x\r\n\r\n`)
  assertEnvelope(bad, 400, 'BadRequest')
  assert.doesNotMatch(bad.body, /%zz/)
  const long = await rawRequest(
    port,
    `GET /api/publishers/${'a'.repeat(101)}${API} HTTP/1.1\r\nHost: x\r\n\r\n`,
  )
  assertEnvelope(long, 414, 'URITooLong')
})

test("Node's parser: headers too large 431, malformed framing 400, no Host 400, Expect: bogus 417", async (t) => {
  const { port } = await listening(t)
  assertEnvelope(
    await rawRequest(port, `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
    431,
    'RequestHeaderFieldsTooLarge',
  )
  assertEnvelope(
    await rawRequest(
      port,
      'POST /health/live HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ),
    400,
    'BadRequest',
  )
  assertEnvelope(await rawRequest(port, 'GARBAGE\r\n\r\n'), 400, 'BadRequest')
  assertEnvelope(await rawRequest(port, 'GET /health/live HTTP/1.1\r\n\r\n'), 400, 'BadRequest')
  // HTTP/1.0 never needed a Host.
  assert.equal((await rawRequest(port, 'GET /health/live HTTP/1.0\r\n\r\n')).status, 200)
  const expect = await rawRequest(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\n\r\n')
  assert.equal(expect.status, 417)
  assert.equal(JSON.parse(expect.body).error.code, 'ExpectationFailed')
})

test('a body that trickles is cut with 408 in the envelope, on the API and on the token endpoint', async (t) => {
  const { port, ctx } = await listening(t, { 'request-timeout': '1000', 'headers-timeout': '1000' })
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso')
  const token = await ctx.tokenFor(principal)
  const put = `PUT /api/publishers/contoso/offers/x${API} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`
  assertEnvelope(await rawRequest(port, put, { trickleMs: 200 }), 408, 'RequestTimeout')
  const form = `POST /${TEST_TENANT}/oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ngrant_type=`
  assertEnvelope(await rawRequest(port, form, { trickleMs: 200 }), 408, 'RequestTimeout')
  // Headers that never end are cut too.
  assertEnvelope(
    await rawRequest(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n', { trickleMs: 200 }),
    408,
    'RequestTimeout',
  )
})
