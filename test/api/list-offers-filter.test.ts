import assert from 'node:assert/strict'
import { test } from 'node:test'
import { API, sampleOffer, startTestApp, type TestApp } from '../helpers/test-app.ts'

async function contosoWithOffers(
  t: Parameters<typeof startTestApp>[0],
): Promise<{ ctx: TestApp; token: string }> {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso', 'Contributor')
  await ctx.importOffers([
    sampleOffer('contoso', 'vm-one', { status: 'succeeded' }),
    sampleOffer('contoso', 'vm-two'),
    sampleOffer('contoso', 'app-one', { offerTypeId: 'microsoft-azure-applications' }),
    sampleOffer('contoso', 'core-one', { offerTypeId: 'microsoft-azure-corevm' }),
  ])
  return { ctx, token: await ctx.tokenFor(principal) }
}

async function listIds(
  ctx: TestApp,
  token: string,
  filter: string,
): Promise<{ status: number; body: unknown }> {
  const response = await ctx.app.inject({
    url: `/api/publishers/contoso/offers${API}&$filter=${encodeURIComponent(filter)}`,
    headers: { authorization: `Bearer ${token}` },
  })
  const body = response.json()
  return { status: response.statusCode, body: Array.isArray(body) ? body.map((offer) => offer.id) : body }
}

test('$filter on offerTypeId, as az-partner-center-cli sends it', async (t) => {
  const { ctx, token } = await contosoWithOffers(t)
  assert.deepEqual(await listIds(ctx, token, "offerTypeId eq 'microsoft-azure-virtualmachines'"), {
    status: 200,
    body: ['vm-one', 'vm-two'],
  })
  assert.deepEqual(await listIds(ctx, token, "offerTypeId eq 'microsoft-azure-corevm'"), {
    status: 200,
    body: ['core-one'],
  })
  assert.deepEqual(await listIds(ctx, token, "offerTypeId eq 'no-such-type'"), { status: 200, body: [] })
})

test('$filter combines clauses with and, on status in any case', async (t) => {
  const { ctx, token } = await contosoWithOffers(t)
  assert.deepEqual(
    await listIds(ctx, token, "OfferTypeId EQ 'microsoft-azure-virtualmachines' and status eq 'Succeeded'"),
    { status: 200, body: ['vm-one'] },
  )
})

test('an unsupported $filter is refused with a message, not ignored', async (t) => {
  const { ctx, token } = await contosoWithOffers(t)
  for (const filter of [
    "displayText eq 'x'",
    'offerTypeId ne 1',
    "status eq 'published'",
    "id eq 'a' or id eq 'b'",
  ]) {
    const { status, body } = await listIds(ctx, token, filter)
    assert.equal(status, 400, filter)
    assert.equal((body as { error: { code: string } }).error.code, 'BadRequest', filter)
  }
})

test("a quote inside a $filter value is written twice, OData's escape, and read as one", async (t) => {
  const { ctx, token } = await contosoWithOffers(t)
  const { status, body } = await listIds(ctx, token, "status eq 'publisher''s choice'")
  assert.equal(status, 400)
  assert.equal(
    (body as { error: { message: string } }).error.message,
    "Invalid $filter: unknown offer status 'publisher's choice'.",
  )
  // Escaped, a quote does not end the value: the clause parses, and the offer type matches nothing.
  assert.deepEqual(await listIds(ctx, token, "offerTypeId eq 'o''brien'"), { status: 200, body: [] })
})
