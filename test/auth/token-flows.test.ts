import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { sampleOffer, startTestApp, type TestApp } from '../helpers/test-app.ts'
import {
  decodeToken,
  listOffers,
  postForm,
  requestToken,
  tokenPath,
  V1_RESOURCE,
  V2_SCOPE,
} from '../helpers/token-requests.ts'

async function appWithOffer(t: Parameters<typeof startTestApp>[0]) {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso')
  await ctx.importOffers([sampleOffer('contoso', 'vm-offer')])
  return { ctx, principal }
}

async function assertListsOffers(ctx: TestApp, accessToken: string): Promise<void> {
  const response = await listOffers(ctx.app, 'contoso', `Bearer ${accessToken}`)
  assert.equal(response.statusCode, 200, response.body)
  assert.deepEqual(
    (response.json() as { id: string }[]).map((offer) => offer.id),
    ['vm-offer'],
  )
}

test('v1 answers the client-credentials grant with every value a string, and the token lists offers', async (t) => {
  const { ctx, principal } = await appWithOffer(t)
  const now = Math.floor(ctx.clock.now().getTime() / 1000)

  const response = await requestToken(ctx.app, principal, 'v1')

  assert.equal(response.statusCode, 200, response.body)
  assert.match(String(response.headers['content-type']), /^application\/json/)
  assert.match(String(response.headers['cache-control']), /no-store/)
  const body = response.json() as Record<string, unknown>
  assert.deepEqual(Object.keys(body).sort(), [
    'access_token',
    'expires_in',
    'expires_on',
    'ext_expires_in',
    'not_before',
    'resource',
    'token_type',
  ])
  for (const [name, value] of Object.entries(body)) assert.equal(typeof value, 'string', name)
  assert.equal(body.token_type, 'Bearer')
  assert.equal(body.resource, V1_RESOURCE)
  assert.equal(body.expires_in, String(ctx.config.tokenLifetimeSeconds))
  assert.equal(body.ext_expires_in, String(ctx.config.tokenLifetimeSeconds))
  // libcloud does int(expires_on): it must be seconds since the epoch, consistent with the token.
  assert.equal(body.expires_on, String(now + ctx.config.tokenLifetimeSeconds))
  const { payload } = decodeToken(String(body.access_token))
  assert.equal(String(payload.exp), body.expires_on)
  assert.equal(String(payload.nbf), body.not_before)

  await assertListsOffers(ctx, String(body.access_token))
})

test('v2 answers with numbers for scope=<resource>/.default, and the token lists offers', async (t) => {
  const { ctx, principal } = await appWithOffer(t)

  const response = await requestToken(ctx.app, principal, 'v2')

  assert.equal(response.statusCode, 200, response.body)
  const body = response.json() as Record<string, unknown>
  assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'ext_expires_in', 'token_type'])
  assert.equal(body.token_type, 'Bearer')
  assert.equal(body.expires_in, ctx.config.tokenLifetimeSeconds)
  assert.equal(body.ext_expires_in, ctx.config.tokenLifetimeSeconds)
  // The CPP resource takes v1 tokens whichever endpoint issued them.
  assert.equal(decodeToken(String(body.access_token)).payload.ver, '1.0')
  await assertListsOffers(ctx, String(body.access_token))
})

test('client_secret_basic: the credentials may come in an HTTP Basic header, form-encoded', async (t) => {
  const { ctx, principal } = await appWithOffer(t)
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before being joined and base64-encoded.
  const basic = Buffer.from(
    `${encodeURIComponent(principal.clientId)}:${encodeURIComponent(principal.secret)}`,
  ).toString('base64')

  for (const [version, form] of [
    ['v1', { grant_type: 'client_credentials', resource: V1_RESOURCE }],
    ['v2', { grant_type: 'client_credentials', scope: V2_SCOPE }],
  ] as const) {
    const response = await postForm(ctx.app, tokenPath(principal.tenantId, version), form, {
      authorization: `Basic ${basic}`,
    })
    assert.equal(response.statusCode, 200, `${version}: ${response.body}`)
    await assertListsOffers(ctx, (response.json() as { access_token: string }).access_token)
  }
})

test('the token looks like an Azure AD v1 application token and verifies against the served JWKS', async (t) => {
  const { ctx, principal } = await appWithOffer(t)
  const accessToken = (await requestToken(ctx.app, principal)).json().access_token as string
  const now = Math.floor(ctx.clock.now().getTime() / 1000)

  const { header, payload } = decodeToken(accessToken)
  assert.equal(header.typ, 'JWT')
  assert.equal(header.alg, 'RS256')
  assert.equal(typeof header.kid, 'string')
  assert.equal(header.x5t, header.kid)
  const issuer = `https://sts.windows.net/${principal.tenantId}/`
  const principalRecord = await ctx.stores.principals.findPrincipal(principal.id)
  assert.ok(principalRecord)
  assert.equal(payload.aud, V1_RESOURCE)
  assert.equal(payload.iss, issuer)
  assert.equal(payload.idp, issuer)
  assert.equal(payload.appid, principal.clientId)
  assert.equal(payload.appidacr, '1')
  assert.equal(payload.oid, principalRecord.objectId)
  assert.equal(payload.sub, principalRecord.objectId)
  assert.equal(payload.tid, principal.tenantId)
  assert.equal(payload.ver, '1.0')
  // Azure AD back-dates iat and nbf by five minutes to absorb clock skew.
  assert.equal(payload.iat, now - 300)
  assert.equal(payload.nbf, now - 300)
  assert.equal(payload.exp, now + ctx.config.tokenLifetimeSeconds)

  const discovery = await ctx.app.inject(`/${principal.tenantId}/.well-known/openid-configuration`)
  const jwksPath = new URL(discovery.json().jwks_uri as string).pathname
  const jwks = (await ctx.app.inject(jwksPath)).json() as { keys: Record<string, unknown>[] }
  for (const key of jwks.keys) {
    for (const privatePart of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(key[privatePart], undefined)
  }
  const verified = await jwtVerify(accessToken, createLocalJWKSet(jwks as never), {
    algorithms: ['RS256'],
    issuer,
    audience: V1_RESOURCE,
    currentDate: ctx.clock.now(),
  })
  assert.equal(verified.protectedHeader.kid, header.kid)
})

test('each token is unique, even for the same principal in the same second', async (t) => {
  const { ctx, principal } = await appWithOffer(t)
  const first = (await requestToken(ctx.app, principal)).json().access_token
  const second = (await requestToken(ctx.app, principal)).json().access_token
  assert.notEqual(first, second)
  assert.notEqual(decodeToken(first).payload.uti, decodeToken(second).payload.uti)
})
