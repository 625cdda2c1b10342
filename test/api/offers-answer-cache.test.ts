import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../src/app.ts'
import type { Offer } from '../../src/offers/offer.ts'
import { createOfferAnswerCache } from '../../src/offers/offer-answer-cache.ts'
import type { OfferStamp } from '../../src/offers/offers.store.ts'
import { createServices } from '../../src/services.ts'
import { API, sampleOffer } from '../helpers/test-app.ts'
import { vmDocument } from './fixtures/offer-documents.ts'
import { etagOf, OFFERS, type OffersClient, offersClient } from './fixtures/offers-client.ts'

/**
 * GET answers are kept rendered (offers/offer-answer-cache.ts) and used while the offer's stamp is
 * unchanged: these tests change offers every way there is, from this replica, from another one
 * and through the store, and expect each change in the very next GET.
 */
const T0 = '2026-11-20T08:30:15.1234567Z'
const T1 = '2026-11-21T11:00:00.0000000Z'
const PATHS = ['/vm', '/vm/versions/1', '/vm/slot/draft', '/vm/slot/Draft']

function stored(overrides: Partial<Offer> = {}): Offer {
  return sampleOffer('contoso', 'vm', {
    definition: { displayText: 'First', offer: { 'microsoft-azure-marketplace.title': 'One' }, plans: [] },
    extras: { pcMigrationStatus: 'none' },
    changedTime: T0,
    ...overrides,
  })
}

/** The answer as it goes out: status, ETag, content type and length, body. */
function wire(response: LightMyRequestResponse): string {
  const { etag, 'content-type': type, 'content-length': length } = response.headers
  return `${response.statusCode} ${etag} ${type} ${length}\n${response.body}`
}

async function getTwice(client: OffersClient, path: string): Promise<LightMyRequestResponse> {
  const first = await client.get(path)
  const second = await client.get(path)
  assert.equal(wire(second), wire(first), `${path}: the second GET answers the same bytes`)
  return second
}

/** A second server over the same store, as a second replica on one PostgreSQL database. */
async function withSecondReplica(
  client: OffersClient,
  work: (replica: FastifyInstance) => Promise<void>,
): Promise<void> {
  const { config, stores, clock, masterKey } = client.ctx
  // Its own services, so its own answer cache, as a replica has.
  const services = createServices({ stores, clock, config, masterKey })
  const replica = await buildApp({ config, stores, services, clock })
  // Closed here, before the test's own hooks close the first app and dispose of the store.
  try {
    await work(replica)
  } finally {
    await replica.close()
  }
}

test('a GET after a PUT answers the new draft, also for two PUTs within one clock tick', async (t) => {
  const client = await offersClient(t)
  await client.ctx.importOffers([stored()])
  for (const path of PATHS)
    assert.equal((await getTwice(client, path)).json().definition.displayText, 'First')

  let etag = etagOf(T0)
  for (const title of ['Second', 'Third']) {
    const document = vmDocument('vm')
    ;(document.definition as { displayText: string }).displayText = title
    const put = await client.put('vm', document, { 'if-match': etag })
    assert.equal(put.statusCode, 200)
    etag = put.headers.etag as string
    for (const path of PATHS) {
      const got = await getTwice(client, path)
      assert.equal(got.json().definition.displayText, title, path)
      assert.equal(got.headers.etag, etag, path)
      assert.equal(got.body, put.body, `${path}: the PUT's answer, byte for byte`)
    }
  }
})

test('a change made by another replica is seen by the next GET', async (t) => {
  const client = await offersClient(t)
  await client.ctx.importOffers([stored()])
  await withSecondReplica(client, async (replica) => {
    const viaReplica = (method: 'GET' | 'PUT', headers: Record<string, string> = {}, payload?: string) =>
      replica.inject({
        method,
        url: `${OFFERS}/vm${API}`,
        headers: { ...client.auth, ...headers },
        ...(payload === undefined ? {} : { payload }),
      })
    const first = await getTwice(client, '/vm')
    assert.equal((await viaReplica('GET')).body, first.body, 'both replicas have it rendered')

    const document = { ...first.json(), definition: { ...first.json().definition, displayText: 'Elsewhere' } }
    const put = await viaReplica(
      'PUT',
      { 'content-type': 'application/json', 'if-match': first.headers.etag as string },
      JSON.stringify(document),
    )
    assert.equal(put.statusCode, 200)
    const seen = await getTwice(client, '/vm')
    assert.equal(seen.json().definition.displayText, 'Elsewhere')
    assert.equal(seen.headers.etag, put.headers.etag)
    assert.equal(seen.body, put.body)

    // And the other way round, within the same clock tick.
    const again = await client.put(
      'vm',
      { ...document, definition: { ...document.definition, displayText: 'Back here' } },
      { 'if-match': put.headers.etag as string },
    )
    assert.equal(again.statusCode, 200)
    const fromReplica = await viaReplica('GET')
    assert.equal(fromReplica.json().definition.displayText, 'Back here')
    assert.equal(fromReplica.headers.etag, again.headers.etag)
  })
})

test('writes that keep changedTime are seen too: an import restoring it, status, a publish', async (t) => {
  const client = await offersClient(t)
  const { offers } = client.ctx.stores
  await client.ctx.importOffers([stored()])
  await getTwice(client, '/vm')

  // Other content under the same changedTime, status and version (an import by the CLI).
  await client.ctx.importOffers([stored({ definition: { displayText: 'Imported', offer: {}, plans: [] } })])
  let got = await getTwice(client, '/vm')
  assert.equal(got.json().definition.displayText, 'Imported')
  assert.equal(got.headers.etag, etagOf(T0))

  await offers.setStatus('contoso', 'vm', 'running')
  assert.equal((await getTwice(client, '/vm')).json().status, 'running')

  await offers.snapshotDraft('contoso', 'vm', T1)
  got = await getTwice(client, '/vm/versions/1')
  assert.deepEqual([got.json().version, got.json().changedTime, got.json().status], [1, T1, 'running'])
  got = await getTwice(client, '/vm')
  assert.equal(got.json().version, 2)
  await offers.setStatus('contoso', 'vm', 'succeeded')
  assert.equal((await getTwice(client, '/vm/versions/1')).json().status, 'succeeded')
  assert.equal((await client.get('/vm/versions/3')).statusCode, 404)
})

test('a slot answers the version it holds now', async (t) => {
  const client = await offersClient(t)
  const { offers } = client.ctx.stores
  await client.ctx.importOffers([stored()])
  assert.equal((await client.get('/vm/slot/preview')).statusCode, 404)
  await offers.snapshotDraft('contoso', 'vm', T1)
  await offers.importOffers(
    [stored({ version: 2, definition: { displayText: 'Two', offer: {}, plans: [] } })],
    T1,
  )
  await offers.snapshotDraft('contoso', 'vm', T1)
  await offers.setSlot('contoso', 'vm', 'preview', 1, T1)
  assert.equal((await getTwice(client, '/vm/slot/preview')).json().version, 1)
  // Moving a slot does not write the offer's row: the slot's version is part of the stamp read.
  await offers.setSlot('contoso', 'vm', 'preview', 2, T1)
  const preview = await getTwice(client, '/vm/slot/Preview')
  assert.deepEqual([preview.json().version, preview.json().definition.displayText], [2, 'Two'])
  assert.equal(preview.body, (await client.get('/vm/versions/2')).body)
  await offers.setSlot('contoso', 'vm', 'preview', undefined, T1)
  assert.equal((await client.get('/vm/slot/preview')).statusCode, 404)
})

test('secrets are never answered, rendered afresh or kept', async (t) => {
  const client = await offersClient(t)
  const secret = 'DefaultEndpointsProtocol=https;AccountName=leads;AccountKey=bm90LWZvci1hbnN3ZXJz'
  const document = vmDocument('vm')
  ;(document.definition as { offer: Record<string, unknown> }).offer[
    'microsoft-azure-marketplace.tableLeadConfiguration'
  ] = { contactEmail: 'leads@contoso.com', connectionString: secret }
  assert.equal((await client.put('vm', document)).statusCode, 200)
  await client.ctx.stores.offers.snapshotDraft('contoso', 'vm', T1)
  // Stored in the definition itself, as no write of this server leaves it: still never answered.
  await client.ctx.importOffers([
    stored({
      version: 2,
      definition: {
        displayText: 'Legacy',
        offer: {
          'microsoft-azure-marketplace.leadDestination': 'AzureTable',
          'microsoft-azure-marketplace.tableLeadConfiguration': { connectionString: secret },
        },
        plans: [],
      },
    }),
  ])
  for (const path of ['/vm', '/vm/versions/1', '/vm/versions/2', '/vm/slot/draft']) {
    const got = await getTwice(client, path)
    assert.equal(got.statusCode, 200, path)
    assert.equal(got.body.includes(secret), false, `${path} answers a secret`)
  }
})

test('the cache holds at most its size in bytes, least recently used answers first out', () => {
  const stamp: OfferStamp = { changedTime: T0, status: 'neverPublished', version: 1, revision: 0 }
  const answer = (bytes: number) => ({ body: Buffer.alloc(bytes, 'x'), etag: etagOf(T0) })
  const cache = createOfferAnswerCache(40_000)
  for (let index = 0; index < 20; index += 1) cache.set('p', `o${index}`, 'draft', stamp, answer(4_000))
  assert.ok(cache.size <= 40_000 && cache.size > 30_000, `${cache.size} bytes held`)
  assert.equal(cache.get('p', 'o0', 'draft', stamp), undefined, 'the oldest went first')
  assert.ok(cache.get('p', 'o19', 'draft', stamp))
  assert.equal(cache.get('p', 'o19', 'draft', { ...stamp, revision: 1 }), undefined, 'another stamp')
  assert.equal(cache.get('p', 'o19', 1, stamp), undefined, 'another variant')
  cache.set('p', 'big', 'draft', stamp, answer(6_000))
  assert.equal(cache.get('p', 'big', 'draft', stamp), undefined, 'larger than an eighth: not kept')
  const off = createOfferAnswerCache(0)
  off.set('p', 'o', 'draft', stamp, answer(10))
  assert.equal(off.get('p', 'o', 'draft', stamp), undefined)
  assert.equal(off.size, 0)
})
