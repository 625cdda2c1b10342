import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { type TestContext, test } from 'node:test'
import { generateKeyPair } from 'jose'
import { manualClock } from '../../src/clock.ts'
import {
  type ExternalTenant,
  type JwksBehaviour,
  startExternalTenant,
  unreachableUrl,
} from '../helpers/external-tenant.ts'
import { START, startTestApp, TEST_TENANT } from '../helpers/test-app.ts'
import { assertUnauthorized, listOffers } from '../helpers/token-requests.ts'

/** An app that trusts one external Azure AD tenant, with the contoso publisher. */
async function setUp(t: TestContext, behaviour: JwksBehaviour = 'serve', jwksUri?: string) {
  const clock = manualClock(START)
  const tenant = await startExternalTenant(t, clock, behaviour)
  const externalIssuers = JSON.stringify([{ issuer: tenant.issuer, jwksUri: jwksUri ?? tenant.jwksUri }])
  const ctx = await startTestApp(t, { settings: { 'external-issuers': externalIssuers }, clock })
  await ctx.createPublisher('contoso')
  return { ctx, tenant }
}

async function registered(ctx: Awaited<ReturnType<typeof setUp>>['ctx'], tenant: ExternalTenant) {
  const principal = await ctx.createExternalPrincipal({ tenantId: tenant.tenantId, objectId: randomUUID() })
  await ctx.grant(principal, 'contoso')
  return principal
}

test("a real tenant's token is accepted for a principal registered by its appid", async (t) => {
  const { ctx, tenant } = await setUp(t)
  const principal = await registered(ctx, tenant)
  assert.equal(principal.hasSecret, false)

  const token = await tenant.sign({ appid: principal.clientId, oid: randomUUID() })

  const response = await listOffers(ctx.app, 'contoso', `Bearer ${token}`)
  assert.equal(response.statusCode, 200, response.body)
})

test("a real tenant's token is accepted for a principal registered by its object id", async (t) => {
  const { ctx, tenant } = await setUp(t)
  const principal = await registered(ctx, tenant)

  // Another appid: only the service principal's object id matches.
  const token = await tenant.sign({ appid: randomUUID(), oid: principal.objectId })

  assert.equal((await listOffers(ctx.app, 'contoso', `Bearer ${token}`)).statusCode, 200)
})

test('a valid token of an application nobody registered is authenticated but forbidden', async (t) => {
  const { ctx, tenant } = await setUp(t)
  await registered(ctx, tenant)

  const response = await listOffers(
    ctx.app,
    'contoso',
    `Bearer ${await tenant.sign({ appid: randomUUID() })}`,
  )

  assert.equal(response.statusCode, 403)
})

test("a token signed with a key that is not the tenant's is a 401", async (t) => {
  const { ctx, tenant } = await setUp(t)
  const principal = await registered(ctx, tenant)
  const stranger = await generateKeyPair('RS256')

  for (const kid of [tenant.kid, 'unknown-kid']) {
    const forged = await tenant.sign({ appid: principal.clientId }, { signingKey: stranger.privateKey, kid })
    assertUnauthorized(await listOffers(ctx.app, 'contoso', `Bearer ${forged}`))
  }
})

test("issuers never borrow each other's keys: external claims with our key, our claims with theirs", async (t) => {
  const { ctx, tenant } = await setUp(t)
  const principal = await registered(ctx, tenant)
  const local = await ctx.createPrincipal()
  await ctx.grant(local, 'contoso')

  // Claims the external issuer, signed by the server's own key.
  const now = Math.floor(ctx.clock.now().getTime() / 1000)
  const externalClaimsOurKey = await ctx.signWithServerKey({
    iss: tenant.issuer,
    tid: tenant.tenantId,
    appid: principal.clientId,
    exp: now + 3600,
  })
  assertUnauthorized(await listOffers(ctx.app, 'contoso', `Bearer ${externalClaimsOurKey}`))

  // Claims our local issuer and principal, signed by the external tenant's key and kid.
  const ourClaimsTheirKey = await tenant.sign({
    iss: `https://sts.windows.net/${TEST_TENANT}/`,
    tid: TEST_TENANT,
    appid: local.clientId,
  })
  assertUnauthorized(await listOffers(ctx.app, 'contoso', `Bearer ${ourClaimsTheirKey}`))
})

test('a JWKS that cannot be reached, that fails, or that never answers: 401, not 500, not a hang', async (t) => {
  for (const [behaviour, uri] of [
    ['serve', await unreachableUrl()],
    ['fail', undefined],
    ['hang', undefined],
  ] as const) {
    await t.test(`${behaviour}${uri ? ' (connection refused)' : ''}`, async (t) => {
      const { ctx, tenant } = await setUp(t, behaviour, uri)
      const principal = await registered(ctx, tenant)
      const token = await tenant.sign({ appid: principal.clientId })

      const message = assertUnauthorized(await listOffers(ctx.app, 'contoso', `Bearer ${token}`))

      assert.match(message, /signing keys could not be retrieved/)
      if (uri === undefined) assert.equal(tenant.jwksRequests(), 1)
    })
  }
})
