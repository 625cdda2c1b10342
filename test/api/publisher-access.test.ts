import assert from 'node:assert/strict'
import { test } from 'node:test'
import { API, startTestApp } from '../helpers/test-app.ts'

test('403 for a publisher without a grant, whether or not it exists; 404 only for a grantee', async (t) => {
  const ctx = await startTestApp(t)
  const alice = await ctx.createPrincipal({ displayName: 'alice' })
  const bob = await ctx.createPrincipal({ displayName: 'bob' })
  await ctx.createPublisher('contoso')
  await ctx.createPublisher('fabrikam')
  await ctx.grant(alice, 'contoso')
  await ctx.grantDangling(alice, 'not-created-yet')
  const token = await ctx.tokenFor(alice)
  const get = (publisher: string) =>
    ctx.app.inject({
      url: `/api/publishers/${publisher}/offers${API}`,
      headers: { authorization: `Bearer ${token}` },
    })

  const existingButForbidden = await get('fabrikam')
  const missingAndForbidden = await get('nobody-has-this')
  assert.equal(existingButForbidden.statusCode, 403)
  assert.equal(missingAndForbidden.statusCode, 403)
  assert.equal(existingButForbidden.json().error.code, 'Forbidden')
  // The two answers differ only by the namespace they name: nothing tells which one exists.
  assert.equal(
    existingButForbidden.json().error.message.replace('fabrikam', 'X'),
    missingAndForbidden.json().error.message.replace('nobody-has-this', 'X'),
  )

  const granteeMissing = await get('not-created-yet')
  assert.equal(granteeMissing.statusCode, 404)
  assert.deepEqual(Object.keys(granteeMissing.json().error), ['code', 'message'])
  assert.equal(granteeMissing.json().error.code, 'NotFound')

  const bobToken = await ctx.tokenFor(bob)
  const bobAnswer = await ctx.app.inject({
    url: `/api/publishers/contoso/offers${API}`,
    headers: { authorization: `Bearer ${bobToken}` },
  })
  assert.equal(bobAnswer.statusCode, 403)
})

test('GET /api/publishers lists the namespaces the caller holds a grant on, in the reference shape', async (t) => {
  const ctx = await startTestApp(t)
  const alice = await ctx.createPrincipal()
  await ctx.stores.publishers.createPublisher(
    {
      id: 'contoso',
      displayText: 'Contoso',
      sellerId: 1234567,
      offerTypeCategories: ['microsoft-azure-virtualmachines'],
      version: 1,
    },
    '2026-11-21T10:00:00.0000000Z',
  )
  await ctx.createPublisher('fabrikam', 'Fabrikam')
  await ctx.createPublisher('northwind', 'Northwind')
  await ctx.grant(alice, 'contoso', 'Owner')
  await ctx.grant(alice, 'fabrikam', 'Contributor')
  await ctx.grantDangling(alice, 'granted-but-missing')

  const response = await ctx.app.inject({
    url: `/api/publishers${API}`,
    headers: { authorization: `Bearer ${await ctx.tokenFor(alice)}` },
  })

  assert.equal(response.statusCode, 200)
  assert.equal(
    response.body,
    JSON.stringify([
      {
        id: 'contoso',
        version: 1,
        definition: {
          displayText: 'Contoso',
          offerTypeCategories: ['microsoft-azure-virtualmachines'],
          sellerId: 1234567,
        },
      },
      {
        id: 'fabrikam',
        version: 1,
        definition: {
          displayText: 'Fabrikam',
          offerTypeCategories: [
            'microsoft-azure-virtualmachines',
            'microsoft-azure-corevm',
            'microsoft-azure-applications',
          ],
        },
      },
    ]),
  )
})

test('GET /api/offerTypes lists the supported offer types', async (t) => {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  const response = await ctx.app.inject({
    url: `/api/offerTypes${API}`,
    headers: { authorization: `Bearer ${await ctx.tokenFor(principal)}` },
  })
  assert.equal(response.statusCode, 200)
  assert.deepEqual(
    response.json().map((type: { id: string }) => type.id),
    ['microsoft-azure-virtualmachines', 'microsoft-azure-corevm', 'microsoft-azure-applications'],
  )
})
