import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import type { TestContext } from 'node:test'
import { test } from 'node:test'
import { API, startTestApp, TEST_TENANT } from '../helpers/test-app.ts'

/**
 * Bounded work per request (docs/limits-and-protection.md): a body beyond a limit is
 * refused in the envelope, naming the limit and its setting, before it is parsed or validated;
 * what the probe of issue 13 sent (5,000 levels of nesting, 150,000 plans, a million empty plans)
 * is refused under the defaults, and a body within them is still accepted.
 */
async function client(t: TestContext, settings: Record<string, string> = {}) {
  const lines: string[] = []
  const logger = {
    level: 'info',
    stream: new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk))
        callback()
      },
    }),
  }
  const ctx = await startTestApp(t, { settings, logger })
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso')
  const authorization = `Bearer ${await ctx.tokenFor(principal)}`
  const put = (offerId: string, payload: string) =>
    ctx.app.inject({
      method: 'PUT',
      url: `/api/publishers/contoso/offers/${offerId}${API}`,
      headers: { authorization, 'content-type': 'application/json' },
      payload,
    })
  const get = (path: string) =>
    ctx.app.inject({ url: `/api/publishers/contoso/offers${path}`, headers: { authorization } })
  return { ctx, put, get, authorization, logs: () => lines.join('') }
}

const offer = (definition: string) =>
  `{"offerTypeId":"microsoft-azure-virtualmachines","definition":${definition}}`
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`

function assertRefused(
  answer: { statusCode: number; json(): unknown },
  status: number,
  setting: RegExp,
): void {
  assert.equal(answer.statusCode, status)
  const { error } = answer.json() as { error: { code: string; message: string } }
  assert.equal(error.code, status === 413 ? 'PayloadTooLarge' : 'BadRequest')
  assert.match(error.message, setting)
}

test("the probe's bodies are refused under the default limits, and nothing is stored", async (t) => {
  const { put, get } = await client(t)
  // 5,000 levels under an unknown key answered 500 (a stack overflow in JSON.stringify), and under a
  // lead configuration too.
  assertRefused(
    await put('deep', offer(`{"displayText":"D","offer":{"x":${nested(5000)}},"plans":[]}`)),
    400,
    /--max-json-depth/,
  )
  assertRefused(
    await put(
      'deep',
      offer(
        `{"displayText":"D","offer":{"microsoft-azure-marketplace.tableLeadConfiguration":${nested(5000)}},"plans":[]}`,
      ),
    ),
    400,
    /--max-json-depth/,
  )
  // 150,000 plans with one planId (2.2 MB) answered 500 after blocking the server for 2.1 s, and a
  // million empty plans (2.9 MB) grew the process by ~290 MB once parsed: both are now refused by
  // their size, from Content-Length, before a byte of them is read.
  const plans = (count: number, plan: string) => Array.from({ length: count }, () => plan).join(',')
  assertRefused(
    await put('many', offer(`{"displayText":"M","offer":{},"plans":[${plans(150_000, '{"planId":"p"}')}]}`)),
    413,
    /--max-body-bytes/,
  )
  assertRefused(
    await put('empty', offer(`{"displayText":"E","offer":{},"plans":[${plans(1_000_000, '{}')}]}`)),
    413,
    /--max-body-bytes/,
  )
  // Within the body limit, as many plans are refused by the array's length, before they are parsed.
  assertRefused(
    await put('many', offer(`{"displayText":"M","offer":{},"plans":[${plans(60_000, '{"planId":"p"}')}]}`)),
    400,
    /--max-array-items/,
  )
  for (const id of ['deep', 'many', 'empty']) assert.equal((await get(`/${id}${API}`)).statusCode, 404)
  // Within the limits: 30 levels under an unknown key are stored as sent.
  const accepted = await put('ok', offer(`{"displayText":"OK","offer":{"x":${nested(28)}},"plans":[]}`))
  assert.equal(accepted.statusCode, 200, accepted.body)
})

test('each limit is a setting, and each names itself when it is reached', async (t) => {
  const { put } = await client(t, {
    'max-json-depth': '8',
    'max-json-values': '200',
    'max-array-items': '20',
    'max-object-keys': '20',
    'max-string-length': '300',
    'max-plans': '3',
    'max-body-bytes': '4096',
  })
  assertRefused(
    await put('o', offer(`{"displayText":"D","offer":{"x":${nested(8)}}}`)),
    400,
    /8 levels.*--max-json-depth/,
  )
  const values = Array.from({ length: 15 }, () => '[1,2,3,4,5,6,7,8,9,10,11,12,13]').join(',')
  assertRefused(
    await put('o', offer(`{"displayText":"V","offer":{"x":[${values}]}}`)),
    413,
    /200 JSON values.*--max-json-values/,
  )
  const items = Array.from({ length: 21 }, (_, index) => index).join(',')
  assertRefused(
    await put('o', offer(`{"displayText":"A","offer":{"x":[${items}]}}`)),
    400,
    /20 items.*--max-array-items/,
  )
  const keys = Array.from({ length: 21 }, (_, index) => `"k${index}":1`).join(',')
  assertRefused(
    await put('o', offer(`{"displayText":"K","offer":{${keys}}}`)),
    400,
    /20 keys.*--max-object-keys/,
  )
  assertRefused(
    await put('o', offer(`{"displayText":"${'s'.repeat(301)}"}`)),
    400,
    /300 characters.*--max-string-length/,
  )
  const fourPlans = Array.from({ length: 4 }, (_, index) => `{"planId":"p${index}"}`).join(',')
  assertRefused(
    await put('o', offer(`{"displayText":"P","offer":{},"plans":[${fourPlans}]}`)),
    400,
    /4 plans.*--max-plans/,
  )
  assertRefused(
    await put(
      'o',
      offer(
        `{"displayText":"${'b'.repeat(250)}","offer":{"x":"${'b'.repeat(290)}","y":"${'b'.repeat(290)}","z":"${'b'.repeat(290)}","w":"${'b'.repeat(290)}","v":"${'b'.repeat(290)}","u":"${'b'.repeat(290)}","t":"${'b'.repeat(290)}","s":"${'b'.repeat(290)}","r":"${'b'.repeat(290)}","q":"${'b'.repeat(290)}","p":"${'b'.repeat(290)}","o":"${'b'.repeat(290)}","n":"${'b'.repeat(290)}","m":"${'b'.repeat(290)}"}}`,
      ),
    ),
    413,
    /4096 bytes.*--max-body-bytes/,
  )
  // Exactly at each limit is accepted.
  const threePlans = Array.from({ length: 3 }, (_, index) => `{"planId":"p${index}"}`).join(',')
  const atLimits = await put(
    'o',
    offer(`{"displayText":"${'s'.repeat(300)}","offer":{"x":${nested(5)}},"plans":[${threePlans}]}`),
  )
  assert.equal(atLimits.statusCode, 200, atLimits.body)
})

test('the token endpoint has a body limit of its own, answered as Azure AD answers', async (t) => {
  const { ctx } = await client(t, { 'max-token-body-bytes': '2048' })
  const answer = await ctx.app.inject({
    method: 'POST',
    url: `/${TEST_TENANT}/oauth2/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `grant_type=client_credentials&client_assertion=${'a'.repeat(3000)}`,
  })
  assert.equal(answer.statusCode, 400)
  assert.equal(answer.json().error, 'invalid_request')
})

test('/versions/{n} takes an integer as written: %201, +1, 1.0 and 1e0 are 400', async (t) => {
  const { put, get } = await client(t)
  assert.equal((await put('v', offer('{"displayText":"V","offer":{},"plans":[]}'))).statusCode, 200)
  assert.equal((await get(`/v/versions/1${API}`)).statusCode, 200)
  for (const version of ['%201', '+1', '1.0', '1e0', '0x1']) {
    const answer = await get(`/v/versions/${version}${API}`)
    assert.equal(answer.statusCode, 400, version)
    assert.equal(answer.json().error.code, 'BadRequest')
  }
})

test('a token sent as ?access_token= is not logged with the URL', async (t) => {
  const { ctx, authorization, logs } = await client(t)
  const token = authorization.slice('Bearer '.length)
  await ctx.app.inject({
    url: `/api/publishers/contoso/offers${API}&access_token=${token}`,
    headers: { authorization },
  })
  assert.match(logs(), /access_token=\[redacted\]/)
  assert.doesNotMatch(logs(), new RegExp(token.slice(-20)))
})

test('a body arriving in small pieces, multi-byte characters split between them, is read whole; string lengths count as JavaScript does', async (t) => {
  const { ctx, authorization } = await client(t, { 'max-string-length': '300' })
  const address = await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const send = async (offerId: string, body: string) => {
    const bytes = Buffer.from(body)
    // Three bytes at a time: every character of more than one byte is cut somewhere.
    const pieces = Array.from({ length: Math.ceil(bytes.length / 3) }, (_, index) =>
      bytes.subarray(index * 3, index * 3 + 3),
    )
    const answer = await fetch(`${address}/api/publishers/contoso/offers/${offerId}${API}`, {
      method: 'PUT',
      headers: { authorization, 'content-type': 'application/json' },
      body: new ReadableStream({
        pull(controller) {
          const next = pieces.shift()
          if (next === undefined) controller.close()
          else controller.enqueue(next)
        },
      }),
      duplex: 'half',
    } as RequestInit)
    return { status: answer.status, body: (await answer.json()) as Record<string, unknown> }
  }
  // Two characters of 2 and 3 bytes, and 149 outside the Basic Multilingual Plane (4 bytes, 2 UTF-16
  // units each): 300 units, at the limit, in 601 bytes.
  const text = `é€${'😀'.repeat(149)}`
  const written = await send('split', offer(`{"displayText":"${text}","offer":{},"plans":[]}`))
  assert.equal(written.status, 200, JSON.stringify(written.body))
  assert.equal((written.body.definition as { displayText: string }).displayText, text)
  const over = await send('over', offer(`{"displayText":"${text}x","offer":{},"plans":[]}`))
  assert.equal(over.status, 400)
  assert.match((over.body.error as { message: string }).message, /300 characters.*--max-string-length/)
})
