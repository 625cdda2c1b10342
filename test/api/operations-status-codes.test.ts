import assert from 'node:assert/strict'
import { test } from 'node:test'
import { locationOf, startPublishingApp, VM_OFFER } from '../helpers/publishing.ts'

/**
 * The status codes every publishing endpoint shares, in the order they are decided: 401 (no token),
 * 400 (api-version), 403 (no grant), 404 (no such publisher, offer or operation). The codes that
 * belong to one endpoint (202, 200, 409, 422) are in the other operations-*.test.ts files.
 */
test('E5, E7–E12: 401, 400, 403 and 404, each in the error envelope', async (t) => {
  const p = await startPublishingApp(t)
  const location = locationOf(await p.offer('POST', `${VM_OFFER}/publish`))
  const [operation] = await p.ctx.stores.operations.listOperations('contoso', VM_OFFER)
  const stranger = await p.ctx.createPrincipal({ displayName: 'stranger' })
  const strangerAuth = { authorization: `Bearer ${await p.ctx.tokenFor(stranger)}` }
  await p.ctx.grantDangling(p.owner, 'not-created-yet')

  const offerPaths = (publisher: string, offer: string) =>
    [
      ['GET', `/api/publishers/${publisher}/offers/${offer}/status`],
      ['POST', `/api/publishers/${publisher}/offers/${offer}/publish`],
      ['POST', `/api/publishers/${publisher}/offers/${offer}/golive`],
      ['POST', `/api/publishers/${publisher}/offers/${offer}/cancel`],
      ['GET', `/api/publishers/${publisher}/offers/${offer}/submissions/`],
      ['GET', `/api/publishers/${publisher}/offers/${offer}/operations/${operation?.id}`],
    ] as const
  const endpoints = [
    ...offerPaths('contoso', VM_OFFER),
    ['GET', location.slice(0, location.indexOf('?'))],
  ] as const

  for (const [method, path] of endpoints) {
    const unauthenticated = await p.ctx.app.inject({ method, url: `${path}?api-version=2017-10-31` })
    assert.equal(unauthenticated.statusCode, 401, `${method} ${path}`)
    assert.equal(unauthenticated.json().error.code, 'Unauthorized')
    const badVersion = await p.ctx.app.inject({
      method,
      url: `${path}?api-version=2099-01-01`,
      headers: p.auth,
    })
    assert.equal(badVersion.statusCode, 400, `${method} ${path}`)
    assert.equal(badVersion.json().error.code, 'InvalidAPIVersion')
    const forbidden = await p.ctx.app.inject({
      method,
      url: `${path}?api-version=2017-10-31`,
      headers: strangerAuth,
    })
    assert.equal(forbidden.statusCode, 403, `${method} ${path}`)
    assert.equal(forbidden.json().error.code, 'Forbidden')
  }

  const missing: (readonly [string, string])[] = [
    ...offerPaths('contoso', 'no-such-offer'),
    ...offerPaths('not-created-yet', VM_OFFER),
    ['GET', `/api/publishers/contoso/offers/${VM_OFFER}/operations/00000000-0000-4000-8000-000000000000`],
    ['GET', `/api/publishers/contoso/offers/${VM_OFFER}/operations/not-a-guid`],
    ['GET', `/api/publishers/contoso/offers/contoso-devops-vm/operations/${operation?.id}`],
    ['GET', `/api/operations/contoso$${VM_OFFER}$2$preview`],
    ['GET', `/api/operations/contoso$${VM_OFFER}$1$draft`],
    ['GET', `/api/operations/contoso$${VM_OFFER}$1`],
    ['GET', `/api/operations/contoso$${VM_OFFER}$x$preview`],
  ]
  for (const [method, path] of missing) {
    const response = await p.call(method as 'GET', path)
    assert.equal(response.statusCode, 404, `${method} ${path}: ${response.body}`)
    assert.equal(response.json().error.code, 'NotFound')
  }
  const unknownPublisherOperation = await p.call('GET', `/api/operations/fabrikam$${VM_OFFER}$1$preview`)
  assert.equal(
    unknownPublisherOperation.statusCode,
    403,
    'the publisher in the key is checked like any other',
  )
})
