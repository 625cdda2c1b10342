import assert from 'node:assert/strict'
import { test } from 'node:test'
import { API, sampleOffer, startTestApp } from '../helpers/test-app.ts'

test('lists the offers of a publisher as summaries, in the reference shape', async (t) => {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso')
  await ctx.importOffers([
    sampleOffer('contoso', 'vm-offer', { status: 'succeeded', version: 3 }),
    sampleOffer('contoso', 'app-offer', { offerTypeId: 'microsoft-azure-applications' }),
  ])
  const token = await ctx.tokenFor(principal)

  const response = await ctx.app.inject({
    url: `/api/publishers/contoso/offers${API}`,
    headers: { authorization: `Bearer ${token}` },
  })

  assert.equal(response.statusCode, 200)
  assert.equal(response.headers['content-type'], 'application/json; charset=utf-8')
  assert.equal(
    response.body,
    JSON.stringify([
      {
        offerTypeId: 'microsoft-azure-applications',
        publisherId: 'contoso',
        status: 'neverPublished',
        id: 'app-offer',
        version: 1,
        definition: { displayText: 'Offer app-offer' },
        changedTime: '2026-11-21T10:00:00.0000000Z',
      },
      {
        offerTypeId: 'microsoft-azure-virtualmachines',
        publisherId: 'contoso',
        status: 'succeeded',
        id: 'vm-offer',
        version: 3,
        definition: { displayText: 'Offer vm-offer' },
        changedTime: '2026-11-21T10:00:00.0000000Z',
      },
    ]),
  )
})
