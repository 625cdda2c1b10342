import assert from 'node:assert/strict'
import { type TestContext, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.ts'
import type { Offer } from '../../src/offers/offer.ts'
import { createServices } from '../../src/services.ts'
import { API, sampleOffer } from '../helpers/test-app.ts'
import { vmDocument } from './fixtures/offer-documents.ts'
import { OFFERS, type OffersClient, offersClient } from './fixtures/offers-client.ts'

/**
 * List answers are kept serialized (offers/offer-list-cache.ts) while the namespace's stamp is
 * unchanged. These tests change the namespace every way there is, from this replica, from another
 * one and through the store, and expect every list, filtered or not, short or streamed, to answer
 * exactly what a replica without caches answers, on the very next request.
 */
const T0 = '2026-11-20T08:30:15.1234567Z'
const T1 = '2026-11-21T11:00:00.0000000Z'
const LISTS = [
  '',
  "&$filter=status eq 'running'",
  "&$filter=offerTypeId eq 'microsoft-azure-virtualmachines'",
  "&$filter=OFFERTYPEID eq 'microsoft-azure-virtualmachines'",
  "&$filter=offerTypeId eq ''",
]

/** Another app over the same store: its own services, so its own caches, as a replica has. */
async function replica(
  client: OffersClient,
  settings: { offerCacheMb?: number } = {},
): Promise<FastifyInstance> {
  const { config, stores, clock, masterKey } = client.ctx
  const services = createServices({ stores, clock, config: { ...config, ...settings }, masterKey })
  return buildApp({ config, stores, services, clock })
}

async function lists(client: OffersClient, app: FastifyInstance = client.ctx.app): Promise<string[]> {
  const bodies: string[] = []
  for (const query of LISTS) {
    const response = await app.inject({
      url: `${OFFERS}${API}${query.replaceAll(' ', '%20')}`,
      headers: client.auth,
    })
    assert.equal(response.statusCode, 200, response.body)
    bodies.push(response.body)
  }
  return bodies
}

async function setup(t: TestContext) {
  const client = await offersClient(t)
  const uncached = await replica(client, { offerCacheMb: 0 })
  const other = await replica(client)
  t.after(async () => {
    await uncached.close()
    await other.close()
  })
  const counts = client.ctx.services.offerReads.cacheCounts.lists
  /** Every list, twice (the second from the cache), as the replica without caches answers it. */
  const check = async (what: string) => {
    const truth = await lists(client, uncached)
    assert.deepEqual(await lists(client), truth, `${what}: the next lists`)
    const hits = counts.hits
    assert.deepEqual(await lists(client), truth, `${what}: the lists again`)
    assert.equal(counts.hits, hits + LISTS.length, `${what}: the lists again came from the cache`)
    return truth
  }
  return { client, other, check }
}

function stored(id: string, overrides: Partial<Offer> = {}): Offer {
  return sampleOffer('contoso', id, { changedTime: T0, ...overrides })
}

test('a list answers every change to its namespace made through this replica, on the next request', async (t) => {
  const { client, check } = await setup(t)
  await check('an empty namespace')
  const created = await client.put('vm', vmDocument('vm'))
  assert.equal(created.statusCode, 200, created.body)
  await check('a new offer')
  const document = vmDocument('vm')
  ;(document.definition as { displayText: string }).displayText = 'Renamed'
  assert.equal(
    (await client.put('vm', document, { 'if-match': created.headers.etag as string })).statusCode,
    200,
  )
  const [all] = await check('a replaced draft')
  assert.match(all ?? '', /Renamed/)
})

test('writes that keep changedTime and the count are seen too: an import, status, a publish', async (t) => {
  const { client, check } = await setup(t)
  const { offers } = client.ctx.stores
  await client.ctx.importOffers([stored('a'), stored('b')])
  await check('an import')
  await client.ctx.importOffers([
    stored('a', { definition: { displayText: 'Imported', offer: {}, plans: [] } }),
  ])
  const [all] = await check('an import restoring changedTime')
  assert.match(all ?? '', /Imported/)
  await offers.setStatus('contoso', 'b', 'running')
  const [, running] = await check('a status')
  assert.match(running ?? '', /"id":"b"/)
  await offers.snapshotDraft('contoso', 'b', T1)
  await check('a new version')
})

test('a change made by another replica is seen by the next list', async (t) => {
  const { client, other, check } = await setup(t)
  await client.ctx.importOffers([stored('a')])
  await check('before')
  const put = await other.inject({
    method: 'PUT',
    url: `${OFFERS}/fromthere${API}`,
    headers: { ...client.auth, 'content-type': 'application/json' },
    payload: JSON.stringify(vmDocument('fromthere')),
  })
  assert.equal(put.statusCode, 200, put.body)
  const [all] = await check('a PUT through the other replica')
  assert.match(all ?? '', /fromthere/)
})

test('a streamed list (more than one chunk) is kept and answered again after a change', async (t) => {
  const { client, check } = await setup(t)
  await client.ctx.importOffers(Array.from({ length: 300 }, (_, index) => stored(`o-${index}`)))
  await check('300 offers')
  await client.ctx.stores.offers.setStatus('contoso', 'o-299', 'running')
  const [all, running] = await check('one of them running')
  assert.equal(JSON.parse(all ?? '[]').length, 300)
  assert.equal(JSON.parse(running ?? '[]').length, 1)
})
