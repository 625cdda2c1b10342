import assert from 'node:assert/strict'
import { get, type IncomingMessage } from 'node:http'
import type { TestContext } from 'node:test'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { API, sampleOffer, startTestApp } from '../helpers/test-app.ts'

/**
 * --handler-timeout bounds the server's work until its answer starts, not how long a client takes
 * to read the answer; a client that stops reading is cut after the keep-alive timeout
 * (docs/limits-and-protection.md, "Timeouts").
 */
const TIMEOUT_MS = 1000
const OFFERS = 3_000

/**
 * A listening app whose publisher bigcorp lists ~12 MB of summaries: several times what the
 * loopback connection's buffers took in a client that read nothing (~4 MB), so the server is still
 * streaming while the client does not read.
 */
async function largeNamespace(t: TestContext, settings: Record<string, string>) {
  const ctx = await startTestApp(t, { settings })
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('bigcorp')
  await ctx.grant(principal, 'bigcorp')
  await ctx.importOffers(
    Array.from({ length: OFFERS }, (_, index) =>
      sampleOffer('bigcorp', `offer-${String(index).padStart(5, '0')}`, {
        definition: { displayText: `Offer ${index} ${'d'.repeat(4000)}` },
      }),
    ),
  )
  const address = await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const token = await ctx.tokenFor(principal)
  /** The list, with its response paused: the caller reads it when it chooses. */
  const list = () =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const request = get(
        `${address}/api/publishers/bigcorp/offers${API}`,
        { headers: { authorization: `Bearer ${token}` } },
        (response) => {
          response.pause()
          resolve(response)
        },
      )
      request.on('error', reject)
    })
  return { ctx, list }
}

/** Everything the response delivers, or how it ended early. */
function readAll(response: IncomingMessage): Promise<{ body: string } | { cut: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    response.on('data', (chunk: Buffer) => chunks.push(chunk))
    response.on('end', () => resolve({ body: Buffer.concat(chunks).toString('utf8') }))
    response.on('aborted', () => resolve({ cut: 'aborted' }))
    response.on('error', (error) => resolve({ cut: error.message }))
    response.resume()
  })
}

test('a slow reader of a large streamed list still gets the whole list after --handler-timeout', async (t) => {
  const { list } = await largeNamespace(t, { 'handler-timeout': String(TIMEOUT_MS) })
  const response = await list()
  assert.equal(response.statusCode, 200)
  // Reads nothing for twice the handler timeout (less than the keep-alive timeout), then everything.
  await sleep(2 * TIMEOUT_MS)
  const answer = await readAll(response)
  assert.ok('body' in answer, `the answer was cut: ${'cut' in answer ? answer.cut : ''}`)
  const listed = JSON.parse(answer.body) as { id: string }[]
  assert.equal(listed.length, OFFERS)
  assert.equal(listed.at(-1)?.id, `offer-${String(OFFERS - 1).padStart(5, '0')}`)
})

test('a client that stops reading is cut after the keep-alive timeout, and its list lets go of the store', async (t) => {
  const { ctx, list } = await largeNamespace(t, { 'keep-alive-timeout': String(TIMEOUT_MS) })
  const response = await list()
  assert.equal(response.statusCode, 200)
  await sleep(3 * TIMEOUT_MS)
  const answer = await readAll(response)
  assert.ok('cut' in answer, 'the whole list was sent to a client that read nothing for 3 s')
  // On PostgreSQL the stream's pooled connection (its cursor) is given back.
  assert.equal(ctx.stores.poolStats().inUse, 0)
})

test('a request whose answer never starts is 503 in the envelope after --handler-timeout', async (t) => {
  const ctx = await startTestApp(t, { settings: { 'handler-timeout': String(TIMEOUT_MS) } })
  // A route of this test's own: no route of the API can be made to hang on demand on every backend.
  let finish: () => void = () => undefined
  ctx.app.get('/test/never-answers', async () => {
    await new Promise<void>((resolve) => {
      finish = resolve
    })
    return 'too late'
  })
  const started = performance.now()
  const answer = await ctx.app.inject({ url: '/test/never-answers' })
  const waited = performance.now() - started
  finish()

  assert.equal(answer.statusCode, 503)
  assert.equal(answer.headers['retry-after'], '5')
  const { error } = answer.json() as { error: { code: string; message: string } }
  assert.equal(error.code, 'ServiceUnavailable')
  assert.match(error.message, /--handler-timeout/)
  assert.ok(waited >= TIMEOUT_MS - 50, `answered after ${waited} ms`)
})
