import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startReplicas } from '../helpers/processes/replicas.ts'
import { type RawAnswer, sendTogether } from '../helpers/raw-http.ts'
import { API } from '../helpers/test-app.ts'
import { vmDocument } from './fixtures/offer-documents.ts'

/**
 * Simultaneous writes of one offer through three replicas (server processes) on one store: SQLite
 * in a file, or PostgreSQL. The requests reach the replicas at the same moment (sendTogether), and
 * each replica reads the offer on its own connections, outside the write's transaction, so every
 * writer reads the offer before any of them has written it, whatever the database: what decides
 * between them is the store's compare-and-set (the UPDATE's `changed_time` condition; the INSERT's
 * conflict clause for creates). Mutation runs: without the `changed_time` condition, the first two
 * tests failed in 3 runs of 3 on SQLite, and on PostgreSQL one of them or both in 3 of 3; with
 * creates that overwrite on conflict, the third failed in every run on both (3 and 2).
 */
const REPLICAS = 3
const WRITERS = 12
const OFFER = 'raced-offer'

async function replicas(t: Parameters<typeof startReplicas>[0], args: readonly string[] = []) {
  const { servers, token } = await startReplicas(t, REPLICAS, args)
  const auth = { authorization: `Bearer ${token}` }
  const path = `/api/publishers/contoso/offers/${OFFER}${API}`
  const replica = (writer: number) => servers[writer % servers.length] as { url: string }
  /** A PUT as bytes, for the replica the writer's number picks: the writers are spread over all of them. */
  const request = (writer: number, displayText: string, ifMatch?: string) => {
    const body = JSON.stringify(named(displayText))
    const { host, port } = new URL(replica(writer).url)
    const head = [
      `PUT ${path} HTTP/1.1`,
      `Host: ${host}`,
      `Authorization: ${auth.authorization}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...(ifMatch === undefined ? [] : [`If-Match: ${ifMatch}`]),
      'Connection: close',
    ]
    return { port: Number(port), bytes: Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`) }
  }
  /** Every writer's PUT at once. */
  const putAll = (write: (writer: number) => { displayText: string; ifMatch?: string }) =>
    sendTogether(
      Array.from({ length: WRITERS }, (_, writer) => {
        const { displayText, ifMatch } = write(writer)
        return request(writer, displayText, ifMatch)
      }),
    )
  const put = (displayText: string) =>
    fetch(`${replica(0).url}${path}`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(named(displayText)),
    })
  const get = async (writer: number) => {
    const response = await fetch(`${replica(writer).url}${path}`, { headers: auth })
    assert.equal(response.status, 200)
    return {
      etag: response.headers.get('etag'),
      body: (await response.json()) as { version: number; definition: { displayText: string } },
    }
  }
  return { put, putAll, get }
}

const errorCode = (answer: RawAnswer) => (JSON.parse(answer.body) as { error: { code: string } }).error.code

function named(displayText: string): Record<string, unknown> {
  const document = vmDocument(OFFER)
  ;(document.definition as { displayText: string }).displayText = displayText
  return document
}

test('concurrent PUTs with the same ETag through three replicas: exactly one wins, every other one is 412', async (t) => {
  const { put, putAll, get } = await replicas(t)
  const created = await put('original')
  assert.equal(created.status, 200, await created.clone().text())
  const etag = created.headers.get('etag') as string

  const answers = await putAll((writer) => ({ displayText: `writer ${writer}`, ifMatch: etag }))

  const statuses = answers.map((answer) => answer.status).sort()
  assert.deepEqual(statuses, [200, ...Array(WRITERS - 1).fill(412)])
  const winner = answers.find((answer) => answer.status === 200) as RawAnswer
  const written = JSON.parse(winner.body) as { definition: { displayText: string } }
  for (let replica = 0; replica < REPLICAS; replica += 1) {
    const stored = await get(replica)
    assert.equal(stored.body.definition.displayText, written.definition.displayText)
    assert.equal(stored.etag, winner.headers.etag)
  }
  for (const loser of answers.filter((answer) => answer.status === 412)) {
    assert.equal(errorCode(loser), 'PreconditionFailed')
  }
})

test('concurrent PUTs with If-Match: * through three replicas all succeed, each with an ETag of its own; the last one stays', async (t) => {
  const { put, putAll, get } = await replicas(t)
  assert.equal((await put('original')).status, 200)

  const answers = await putAll((writer) => ({ displayText: `writer ${writer}`, ifMatch: '*' }))

  assert.deepEqual(
    answers.map((answer) => answer.status),
    Array(WRITERS).fill(200),
  )
  const etags = answers.map((answer) => answer.headers.etag)
  assert.equal(new Set(etags).size, WRITERS, 'no two writes share an ETag')
  // Each write's ETag is later than the one it replaced: the stored one is the latest answered.
  const last = [...etags].sort().at(-1)
  assert.equal((await get(1)).etag, last)
})

test('--no-loose-if-match: of concurrent creates through three replicas exactly one creates, every other one is 409', async (t) => {
  const { putAll, get } = await replicas(t, ['--no-loose-if-match'])

  const answers = await putAll((writer) => ({ displayText: `creator ${writer}` }))

  const statuses = answers.map((answer) => answer.status).sort()
  assert.deepEqual(statuses, [200, ...Array(WRITERS - 1).fill(409)])
  assert.equal((await get(2)).body.version, 1)
})
