import assert from 'node:assert/strict'
import { test } from 'node:test'
import { API, sampleOffer, startTestApp } from '../helpers/test-app.ts'

test('a namespace of 10,000 offers is answered whole, in order, as valid JSON', async (t) => {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('bigcorp')
  await ctx.grant(principal, 'bigcorp')
  const offers = Array.from({ length: 10_000 }, (_, index) =>
    sampleOffer('bigcorp', `offer-${String(index).padStart(5, '0')}`, {
      // A large definition that the list must not read: only summaries are selected.
      definition: {
        displayText: `Offer ${index}`,
        offer: { 'microsoft-azure-marketplace.description': 'x'.repeat(2000) },
      },
    }),
  )
  await ctx.importOffers(offers)

  const response = await ctx.app.inject({
    url: `/api/publishers/bigcorp/offers${API}`,
    headers: { authorization: `Bearer ${await ctx.tokenFor(principal)}` },
  })

  assert.equal(response.statusCode, 200)
  const body = response.json() as { id: string; definition: Record<string, unknown> }[]
  assert.equal(body.length, 10_000)
  assert.equal(body[0]?.id, 'offer-00000')
  assert.equal(body[9_999]?.id, 'offer-09999')
  assert.deepEqual(Object.keys(body[1234]?.definition ?? {}), ['displayText'])
})

test('an empty namespace is an empty array', async (t) => {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('empty')
  await ctx.grant(principal, 'empty')
  const response = await ctx.app.inject({
    url: `/api/publishers/empty/offers${API}`,
    headers: { authorization: `Bearer ${await ctx.tokenFor(principal)}` },
  })
  assert.equal(response.statusCode, 200)
  assert.equal(response.body, '[]')
})
