import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { test } from 'node:test'
import { API } from '../helpers/test-app.ts'
import { vmDocument } from './fixtures/offer-documents.ts'
import { OFFERS, offersClient } from './fixtures/offers-client.ts'

const WRITERS = 12

/** The app listening on a loopback port: the writers below are real, simultaneous HTTP requests. */
async function listening(t: TestContext, settings: Record<string, string> = {}) {
  const client = await offersClient(t, settings)
  const address = await client.ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const put = (offerId: string, body: unknown, ifMatch?: string) =>
    fetch(`${address}${OFFERS}/${offerId}${API}`, {
      method: 'PUT',
      headers: {
        ...client.auth,
        'content-type': 'application/json',
        ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }),
      },
      body: JSON.stringify(body),
    })
  return { client, put }
}

function named(displayText: string): Record<string, unknown> {
  const document = vmDocument()
  ;(document.definition as { displayText: string }).displayText = displayText
  return document
}

test('concurrent PUTs with the same ETag: exactly one wins, every other one is 412', async (t) => {
  const { client, put } = await listening(t)
  const created = await put('contosovirtualmachine', named('original'))
  const etag = created.headers.get('etag') as string

  const answers = await Promise.all(
    Array.from({ length: WRITERS }, (_, index) =>
      put('contosovirtualmachine', named(`writer ${index}`), etag),
    ),
  )

  const statuses = answers.map((answer) => answer.status).sort()
  assert.deepEqual(statuses, [200, ...Array(WRITERS - 1).fill(412)])
  const winner = answers.find((answer) => answer.status === 200) as Response
  const written = (await winner.json()) as { definition: { displayText: string } }
  const stored = (await client.get('/contosovirtualmachine')).json()
  assert.equal(stored.definition.displayText, written.definition.displayText)
  assert.equal((await client.get('/contosovirtualmachine')).headers.etag, winner.headers.get('etag'))
  for (const loser of answers.filter((answer) => answer.status === 412)) {
    assert.equal(((await loser.json()) as { error: { code: string } }).error.code, 'PreconditionFailed')
  }
})

test('concurrent PUTs with If-Match: * all succeed, each with an ETag of its own; the last one stays', async (t) => {
  const { client, put } = await listening(t)
  await put('contosovirtualmachine', named('original'))

  const answers = await Promise.all(
    Array.from({ length: WRITERS }, (_, index) =>
      put('contosovirtualmachine', named(`writer ${index}`), '*'),
    ),
  )

  assert.deepEqual(
    answers.map((answer) => answer.status),
    Array(WRITERS).fill(200),
  )
  const etags = answers.map((answer) => answer.headers.get('etag'))
  assert.equal(new Set(etags).size, WRITERS, 'no two writes share an ETag')
  const last = [...etags].sort().at(-1)
  assert.equal((await client.get('/contosovirtualmachine')).headers.etag, last)
})

test('--no-loose-if-match: of concurrent creates without If-Match exactly one creates, every other one is 409', async (t) => {
  const { client, put } = await listening(t, { 'loose-if-match': 'false' })

  const answers = await Promise.all(
    Array.from({ length: WRITERS }, (_, index) => put('contosovirtualmachine', named(`creator ${index}`))),
  )

  const statuses = answers.map((answer) => answer.status).sort()
  assert.deepEqual(statuses, [200, ...Array(WRITERS - 1).fill(409)])
  const stored = (await client.get('/contosovirtualmachine')).json()
  assert.equal(stored.version, 1)
})
