import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Offer } from '../../src/offers/offer.ts'
import { API, sampleOffer } from '../helpers/test-app.ts'
import { errorOf, etagOf, OFFERS, offersClient } from './fixtures/offers-client.ts'

const CHANGED = '2026-11-20T08:30:15.1234567Z'

/** An offer as a real service stored it: envelope extras and keys this server does not know. */
function storedOffer(overrides: Partial<Offer> = {}): Offer {
  return sampleOffer('contoso', 'vm-offer', {
    status: 'succeeded',
    version: 3,
    extras: { pcMigrationStatus: 'none', isvUpgradeRequest: false },
    definition: {
      displayText: 'VM offer',
      offer: { 'microsoft-azure-marketplace.title': 'VM', 'future-namespace.key': { nested: [1, 'two'] } },
      plans: [{ planId: 'plan-a', 'microsoft-azure-virtualmachines.skuTitle': 'A' }],
    },
    changedTime: CHANGED,
    ...overrides,
  })
}

test('GET answers the draft in the reference shape, with the weak datetime ETag', async (t) => {
  const client = await offersClient(t)
  await client.ctx.importOffers([storedOffer()])

  const response = await client.get('/vm-offer')

  assert.equal(response.statusCode, 200)
  assert.equal(response.headers['content-type'], 'application/json; charset=utf-8')
  assert.equal(response.headers.etag, `W/"datetime'2026-11-20T08%3A30%3A15.1234567Z'"`)
  assert.equal(
    response.body,
    JSON.stringify({
      offerTypeId: 'microsoft-azure-virtualmachines',
      publisherId: 'contoso',
      status: 'succeeded',
      id: 'vm-offer',
      version: 3,
      pcMigrationStatus: 'none',
      isvUpgradeRequest: false,
      definition: {
        displayText: 'VM offer',
        offer: { 'microsoft-azure-marketplace.title': 'VM', 'future-namespace.key': { nested: [1, 'two'] } },
        plans: [{ planId: 'plan-a', 'microsoft-azure-virtualmachines.skuTitle': 'A' }],
      },
      changedTime: CHANGED,
    }),
  )
})

test('GET of an offer that does not exist, or of another publisher, is 404; without a grant 403', async (t) => {
  const client = await offersClient(t)
  await client.ctx.createPublisher('fabrikam')
  await client.ctx.importOffers([storedOffer({ publisherId: 'fabrikam' })])

  for (const path of ['/vm-offer', '/vm-offer/versions/1', '/vm-offer/slot/draft', '/NOT-AN-ID']) {
    const missing = await client.get(path)
    assert.equal(missing.statusCode, 404, path)
    assert.equal(errorOf(missing).code, 'NotFound')
  }
  const forbidden = await client.ctx.app.inject({
    url: `/api/publishers/fabrikam/offers/vm-offer${API}`,
    headers: client.auth,
  })
  assert.equal(forbidden.statusCode, 403)
  assert.equal(errorOf(forbidden).code, 'Forbidden')
})

test('GET checks the token, then the api-version, then the grant, then the publisher', async (t) => {
  const client = await offersClient(t)
  await client.ctx.importOffers([storedOffer()])
  const principal = await client.ctx.createPrincipal({ displayName: 'grantee of a missing publisher' })
  await client.ctx.grantDangling(principal, 'not-created-yet')
  const granteeAuth = { authorization: `Bearer ${await client.ctx.tokenFor(principal)}` }

  for (const path of ['/vm-offer', '/vm-offer/versions/3', '/vm-offer/slot/Draft']) {
    const url = `${OFFERS}${path}`
    const unauthenticated = await client.ctx.app.inject({ url: `${url}${API}` })
    assert.equal(unauthenticated.statusCode, 401, path)
    const badVersion = await client.ctx.app.inject({
      url: `${url}?api-version=2020-01-01`,
      headers: client.auth,
    })
    assert.equal(badVersion.statusCode, 400, path)
    assert.equal(errorOf(badVersion).code, 'InvalidAPIVersion')
    const noGrant = await client.ctx.app.inject({ url: `${url}${API}`, headers: granteeAuth })
    assert.equal(noGrant.statusCode, 403, path)
    const missingPublisher = await client.ctx.app.inject({
      url: `/api/publishers/not-created-yet/offers${path}${API}`,
      headers: granteeAuth,
    })
    assert.equal(missingPublisher.statusCode, 404, path)
    assert.match(errorOf(missingPublisher).message, /Publisher 'not-created-yet' was not found/)
  }
})

test('/versions/{n}: the draft at its own version, published snapshots below it, 404 otherwise', async (t) => {
  const client = await offersClient(t)
  const { stores } = client.ctx
  await client.ctx.importOffers([storedOffer({ version: 1, status: 'neverPublished' })])
  await stores.offers.snapshotDraft('contoso', 'vm-offer', '2026-11-21T09:00:00.0000000Z')
  const draftEtag = (await client.get('/vm-offer')).headers.etag as string
  const edited = await client.put(
    'vm-offer',
    { definition: { displayText: 'Edited after publishing', offer: {}, plans: [] } },
    { 'if-match': draftEtag },
  )
  assert.equal(edited.statusCode, 200)

  const published = await client.get('/vm-offer/versions/1')
  assert.equal(published.statusCode, 200)
  assert.equal(published.json().version, 1)
  assert.equal(published.json().definition.displayText, 'VM offer')
  assert.equal(published.json().changedTime, '2026-11-21T09:00:00.0000000Z')
  assert.deepEqual(published.json().definition.offer, storedOffer().definition.offer)

  const draft = await client.get('/vm-offer/versions/2')
  assert.equal(draft.statusCode, 200)
  assert.equal(draft.body, (await client.get('/vm-offer')).body)

  // Every variant carries the draft's ETag: it is what a PUT must send.
  for (const response of [published, draft]) assert.equal(response.headers.etag, edited.headers.etag)

  for (const version of ['3', '0', '-1', '99999999999']) {
    const missing = await client.get(`/vm-offer/versions/${version}`)
    assert.equal(missing.statusCode, 404, version)
    assert.equal(errorOf(missing).code, 'NotFound')
  }
  const malformed = await client.get('/vm-offer/versions/latest')
  assert.equal(malformed.statusCode, 400)
  assert.equal(errorOf(malformed).code, 'BadRequest')
})

test('/slot/{slot}: any case; Preview and Production only once reached, 404 before', async (t) => {
  const client = await offersClient(t)
  const { stores } = client.ctx
  await client.ctx.importOffers([storedOffer({ version: 1, status: 'neverPublished' })])
  const draft = await client.get('/vm-offer')

  for (const slot of ['Draft', 'draft', 'DRAFT']) {
    const response = await client.get(`/vm-offer/slot/${slot}`)
    assert.equal(response.statusCode, 200, slot)
    assert.equal(response.body, draft.body)
    assert.equal(response.headers.etag, draft.headers.etag)
  }
  for (const slot of ['Preview', 'production', 'PRODUCTION']) {
    const response = await client.get(`/vm-offer/slot/${slot}`)
    assert.equal(response.statusCode, 404, slot)
    assert.match(errorOf(response).message, /has never reached the (preview|production) slot/)
  }

  await stores.offers.snapshotDraft('contoso', 'vm-offer', '2026-11-21T09:00:00.0000000Z')
  await stores.offers.setSlot('contoso', 'vm-offer', 'preview', 1, '2026-11-21T09:00:00.0000000Z')
  await stores.offers.setStatus('contoso', 'vm-offer', 'waitingForPublisherReview')
  const preview = await client.get('/vm-offer/slot/preview')
  assert.equal(preview.statusCode, 200)
  assert.equal(preview.json().version, 1)
  assert.equal(preview.json().status, 'waitingForPublisherReview')
  assert.equal(preview.headers.etag, draft.headers.etag, 'status changes leave the ETag alone')
  assert.equal((await client.get('/vm-offer/slot/Production')).statusCode, 404)

  await stores.offers.setSlot('contoso', 'vm-offer', 'production', 1, '2026-11-21T09:30:00.0000000Z')
  assert.equal((await client.get('/vm-offer/slot/Production')).json().version, 1)
  assert.equal((await client.get('/vm-offer/slot/draft')).json().version, 2)

  const unknown = await client.get('/vm-offer/slot/staging')
  assert.equal(unknown.statusCode, 400)
  assert.equal(errorOf(unknown).message, "Unknown slot 'staging'. Slots: Draft, Preview, Production.")
})

test('trailing slashes are insignificant on every offer route', async (t) => {
  const client = await offersClient(t)
  await client.ctx.importOffers([storedOffer()])
  for (const path of ['/vm-offer/', '/vm-offer/versions/3/', '/vm-offer/slot/draft/']) {
    assert.equal((await client.get(path)).statusCode, 200, path)
  }
  assert.equal(etagOf(CHANGED), (await client.get('/vm-offer')).headers.etag)
})
