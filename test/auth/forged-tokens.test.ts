import assert from 'node:assert/strict'
import { createPublicKey } from 'node:crypto'
import { test } from 'node:test'
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import { startTestApp, TEST_TENANT, type TestApp } from '../helpers/test-app.ts'
import { assertUnauthorized, listOffers, V1_RESOURCE } from '../helpers/token-requests.ts'

const ISSUER = `https://sts.windows.net/${TEST_TENANT}/`

/** A registered, granted principal: any 401 below is the token's fault, not the principal's. */
async function setUp(t: Parameters<typeof startTestApp>[0]) {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso')
  const claims = { iss: ISSUER, tid: TEST_TENANT, appid: principal.clientId, ver: '1.0' }
  // The control: the server's key and these claims make a token that works.
  assert.equal(
    (await listOffers(ctx.app, 'contoso', `Bearer ${await ctx.signWithServerKey(claims)}`)).statusCode,
    200,
  )
  return { ctx, principal, claims }
}

function encode(part: unknown): string {
  return Buffer.from(typeof part === 'string' ? part : JSON.stringify(part)).toString('base64url')
}

async function assertRejected(ctx: TestApp, authorization: string | undefined, why?: RegExp) {
  const message = assertUnauthorized(await listOffers(ctx.app, 'contoso', authorization))
  if (why) assert.match(message, why, authorization)
}

test('no token, another scheme, or not a JWT', async (t) => {
  const { ctx } = await setUp(t)
  const missing = await listOffers(ctx.app, 'contoso', undefined)
  assertUnauthorized(missing)
  assert.equal(missing.headers['www-authenticate'], 'Bearer')
  await assertRejected(ctx, 'Basic dXNlcjpwYXNz', /Bearer scheme/)
  await assertRejected(ctx, 'Bearer', /Bearer scheme/)
  for (const garbage of [
    'garbage',
    'a.b.c',
    `${encode('{')}.${encode('{}')}.`,
    `${encode([1])}.${encode(2)}.x`,
  ]) {
    await assertRejected(ctx, `Bearer ${garbage}`)
  }
})

test('unsigned (alg none) and HS256 keyed with our RSA public key (key confusion)', async (t) => {
  const { ctx, claims } = await setUp(t)
  const now = Math.floor(ctx.clock.now().getTime() / 1000)
  const payload = { ...claims, aud: V1_RESOURCE, nbf: now, exp: now + 3600 }
  const key = await ctx.keyring.activeKey()
  await assertRejected(ctx, `Bearer ${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`, /RS256/)
  await assertRejected(
    ctx,
    `Bearer ${encode({ alg: 'none', typ: 'JWT', kid: key.kid })}.${encode(payload)}.`,
    /RS256/,
  )

  const [jwk] = (await ctx.app.inject('/common/discovery/keys')).json().keys as JWK[]
  const publicPem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({
    type: 'spki',
    format: 'pem',
  })
  for (const secret of [Buffer.from(String(publicPem)), Buffer.from(JSON.stringify(jwk))]) {
    const hs256 = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.kid })
      .sign(new Uint8Array(secret))
    await assertRejected(ctx, `Bearer ${hs256}`, /RS256/)
  }
})

test('signed by us, but for another audience, issuer or tenant, or without an expiry', async (t) => {
  const { ctx, claims } = await setUp(t)
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ aud: 'https://management.azure.com/' }, /audience/],
    [{ iss: 'https://login.example.com/33333333-3333-3333-3333-333333333333/' }, /not accepted/],
    [{ iss: `https://login.microsoftonline.com/${TEST_TENANT}/v2.0` }, /not accepted/],
    [{ iss: 'https://sts.windows.net/44444444-4444-4444-4444-444444444444/' }, /tenant/],
    [{ tid: '44444444-4444-4444-4444-444444444444' }, /tenant/],
    [{ iss: undefined }, /issuer/],
    [{ exp: undefined }, /exp/],
  ]
  for (const [override, why] of cases) {
    await assertRejected(ctx, `Bearer ${await ctx.signWithServerKey({ ...claims, ...override })}`, why)
  }
})

test('an issuer with characters a header cannot carry is a 401, not a 500', async (t) => {
  const { ctx, claims } = await setUp(t)
  for (const iss of [
    'https://evil.example/\r\nSet-Cookie: a=b',
    'https://☃.example/',
    `https://${'x'.repeat(5000)}/`,
  ]) {
    const response = await listOffers(
      ctx.app,
      'contoso',
      `Bearer ${await ctx.signWithServerKey({ ...claims, iss })}`,
    )
    assertUnauthorized(response)
    assert.doesNotMatch(String(response.headers['www-authenticate']), /[\r\n☃]/)
    assert.ok(String(response.headers['www-authenticate']).length < 1000)
    assert.equal(response.headers['set-cookie'], undefined)
  }
})

test('expired beyond the five minutes of tolerance, or not valid yet', async (t) => {
  const { ctx, principal } = await setUp(t)
  const token = await ctx.tokenFor(principal)
  const lifetimeMs = ctx.config.tokenLifetimeSeconds * 1000

  ctx.clock.advance(lifetimeMs + 299_000)
  assert.equal((await listOffers(ctx.app, 'contoso', `Bearer ${token}`)).statusCode, 200)
  ctx.clock.advance(2_000)
  await assertRejected(ctx, `Bearer ${token}`, /expired/)

  // Tokens are back-dated five minutes, and five more are tolerated: ten minutes early is too early.
  const fresh = await ctx.tokenFor(principal)
  ctx.clock.advance(-601_000)
  await assertRejected(ctx, `Bearer ${fresh}`, /not valid yet/)
})

test('a tampered payload, an unknown kid, or a key that is not ours', async (t) => {
  const { ctx, principal, claims } = await setUp(t)
  const [header, payload, signature] = (await ctx.tokenFor(principal)).split('.')
  const raised = { ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), appid: 'someone-else' }
  await assertRejected(ctx, `Bearer ${header}.${encode(raised)}.${signature}`, /signature/)

  await assertRejected(
    ctx,
    `Bearer ${await ctx.signWithServerKey(claims, { kid: 'no-such-kid' })}`,
    /unknown key/,
  )
  await assertRejected(
    ctx,
    `Bearer ${await ctx.signWithServerKey(claims, { kid: undefined })}`,
    /unknown key/,
  )

  // Another tenant's key, presented under our kid and under its own.
  const other = await generateKeyPair('RS256')
  const otherKid = (await exportJWK(other.publicKey)).n?.slice(0, 16) ?? 'other'
  const ourKid = (await ctx.keyring.activeKey()).kid
  const now = Math.floor(ctx.clock.now().getTime() / 1000)
  for (const kid of [ourKid, otherKid]) {
    const forged = await new SignJWT({ ...claims, aud: V1_RESOURCE, nbf: now, exp: now + 3600 })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .sign(other.privateKey)
    await assertRejected(ctx, `Bearer ${forged}`, kid === ourKid ? /signature/ : /unknown key/)
  }
})
