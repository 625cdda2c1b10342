import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { type Caller, STORE_ADMINISTRATOR } from '../../src/auth/caller.ts'
import { API, startTestApp, TEST_TENANT } from '../helpers/test-app.ts'
import { listOffers } from '../helpers/token-requests.ts'

function assertCppError(response: { statusCode: number; json(): unknown }, status: number, code: string) {
  assert.equal(response.statusCode, status)
  assert.equal((response.json() as { error: { code: string } }).error.code, code)
}

/** A valid token proves who calls; only a registered principal's grants say what it may touch. */
test('a valid token of an application that is not registered: 403 on a publisher, no publishers listed', async (t) => {
  const ctx = await startTestApp(t)
  await ctx.createPublisher('contoso')
  const unregistered = await ctx.signWithServerKey({
    iss: `https://sts.windows.net/${TEST_TENANT}/`,
    tid: TEST_TENANT,
    appid: randomUUID(),
    oid: randomUUID(),
  })

  assertCppError(await listOffers(ctx.app, 'contoso', `Bearer ${unregistered}`), 403, 'Forbidden')
  const publishers = await ctx.app.inject({
    url: `/api/publishers${API}`,
    headers: { authorization: `Bearer ${unregistered}` },
  })
  assert.equal(publishers.statusCode, 200)
  assert.deepEqual(publishers.json(), [])
})

test('a principal deleted while its token lives is no longer let in', async (t) => {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso')
  const token = await ctx.tokenFor(principal)
  assert.equal((await listOffers(ctx.app, 'contoso', `Bearer ${token}`)).statusCode, 200)

  assert.equal(await ctx.stores.principals.deletePrincipal(principal.id), true)

  assertCppError(await listOffers(ctx.app, 'contoso', `Bearer ${token}`), 403, 'Forbidden')
})

test('a registered principal without a grant gets 403, whether or not the publisher exists', async (t) => {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  const token = await ctx.tokenFor(principal)

  for (const publisher of ['contoso', 'does-not-exist']) {
    assertCppError(await listOffers(ctx.app, publisher, `Bearer ${token}`), 403, 'Forbidden')
  }
})

test('a grant on a publisher that does not exist: 404, told only to the grantee', async (t) => {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  await ctx.grantDangling(principal, 'fabrikam')
  const token = await ctx.tokenFor(principal)

  assertCppError(await listOffers(ctx.app, 'fabrikam', `Bearer ${token}`), 404, 'NotFound')
})

test('the store administrator (the CLI) holds every publisher; a caller that merely looks like it holds none', async (t) => {
  const ctx = await startTestApp(t)
  await ctx.createPublisher('contoso')
  const granted = await ctx.services.access.require(STORE_ADMINISTRATOR, 'contoso', 'Owner')
  assert.equal(granted.role, 'Owner')
  await assert.rejects(ctx.services.access.require(STORE_ADMINISTRATOR, 'nowhere'), { statusCode: 404 })
  // Built from claims (a request's), however alike, it is not the administrator: identity decides.
  const lookalike: Caller = { ...STORE_ADMINISTRATOR }
  await assert.rejects(ctx.services.access.require(lookalike, 'contoso'), { statusCode: 403 })
  assert.deepEqual(await ctx.services.publishers.list(lookalike), [])
})
