import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { JWT_BEARER } from '../../src/token-service/aad-error.ts'
import { createTestCertificate, signAssertion, type TestCertificate } from '../helpers/client-certificates.ts'
import {
  API,
  START,
  sampleOffer,
  startTestApp,
  type TestApp,
  type TestPrincipal,
} from '../helpers/test-app.ts'
import { V1_RESOURCE, V2_SCOPE } from '../helpers/token-requests.ts'

/**
 * Certificate credentials over a real socket, on the backend under test: a client assertion signed
 * with a registered certificate's key gets a token on the v1 and v2 endpoints, and every way an
 * assertion can be wrong gets Azure AD's error for it (docs/azure-clients.md, compatibility.md A12).
 */
const DAY_MS = 24 * 60 * 60 * 1000
const NOW = Math.floor(START.getTime() / 1000)
const validAtStart = () =>
  createTestCertificate({
    notBefore: new Date(START.getTime() - DAY_MS),
    notAfter: new Date(START.getTime() + 365 * DAY_MS),
  })

interface Setup {
  ctx: TestApp
  principal: TestPrincipal
  certificate: TestCertificate
  origin: string
  endpoint: (version?: 'v1' | 'v2') => string
}

async function setUp(
  t: Parameters<typeof startTestApp>[0],
  options: Parameters<typeof startTestApp>[1] = {},
): Promise<Setup> {
  const ctx = await startTestApp(t, options)
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso')
  await ctx.importOffers([sampleOffer('contoso', 'vm-offer')])
  const certificate = validAtStart()
  await ctx.services.principals.addCertificates(principal.id, certificate.certificate)
  const origin = await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const endpoint = (version: 'v1' | 'v2' = 'v2') =>
    `${origin}/${principal.tenantId}/oauth2/${version === 'v2' ? 'v2.0/' : ''}token`
  return { ctx, principal, certificate, origin, endpoint }
}

function assertionForm(
  principal: TestPrincipal,
  assertion: string,
  version: 'v1' | 'v2' = 'v2',
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    grant_type: 'client_credentials',
    client_id: principal.clientId,
    client_assertion_type: JWT_BEARER,
    client_assertion: assertion,
    ...(version === 'v2' ? { scope: V2_SCOPE } : { resource: V1_RESOURCE }),
    ...extra,
  }
}

async function post(
  url: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', body: new URLSearchParams(form) })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

async function assertAad(
  answer: Promise<{ status: number; body: Record<string, unknown> }>,
  status: number,
  error: string,
  code: number,
  message?: RegExp,
): Promise<void> {
  const { status: actual, body } = await answer
  assert.equal(actual, status, JSON.stringify(body))
  assert.equal(body.error, error)
  assert.deepEqual(body.error_codes, [code])
  assert.match(String(body.error_description), new RegExp(`^AADSTS${code}: `))
  if (message) assert.match(String(body.error_description), message)
  assert.equal(body.access_token, undefined)
}

describe('certificate credentials', () => {
  test('an assertion gets a v1 and a v2 token, with either thumbprint, then a 200 from Retrieve offers', async (t) => {
    const { principal, certificate, origin, endpoint } = await setUp(t)
    const discovery = await fetch(`${origin}/${principal.tenantId}/v2.0/.well-known/openid-configuration`)
    const methods = ((await discovery.json()) as { token_endpoint_auth_methods_supported: string[] })
      .token_endpoint_auth_methods_supported
    assert.ok(methods.includes('private_key_jwt'), String(methods))
    for (const [version, thumbprint] of [
      ['v2', 'sha256'],
      ['v1', 'sha1'],
    ] as const) {
      const assertion = await signAssertion(certificate, {
        clientId: principal.clientId,
        audience: endpoint(version),
        now: NOW,
        thumbprint,
      })
      const { status, body } = await post(endpoint(version), assertionForm(principal, assertion, version))
      assert.equal(status, 200, JSON.stringify(body))
      const offers = await fetch(`${origin}/api/publishers/contoso/offers${API}`, {
        headers: { authorization: `Bearer ${body.access_token}` },
      })
      assert.equal(offers.status, 200)
      assert.deepEqual(
        ((await offers.json()) as { id: string }[]).map((offer) => offer.id),
        ['vm-offer'],
      )
    }
  })

  test('aud is taken as leniently as Azure AD takes it; client_id may be left to iss', async (t) => {
    const { principal, certificate, origin, endpoint } = await setUp(t)
    const tenant = principal.tenantId
    for (const audience of [
      endpoint('v1'), // ADAL's v1 endpoint, sent to v2
      `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`, // namespace recipe, proxy mode
      `${origin}/${tenant.toUpperCase()}/oauth2/v2.0/token/`,
      `https://login.microsoftonline.com/${tenant}/v2.0`,
      ['https://elsewhere.example/', endpoint('v2')],
    ]) {
      const assertion = await signAssertion(certificate, { clientId: principal.clientId, audience, now: NOW })
      const { status, body } = await post(endpoint(), assertionForm(principal, assertion))
      assert.equal(status, 200, `${JSON.stringify(audience)}: ${JSON.stringify(body)}`)
    }
    const assertion = await signAssertion(certificate, {
      clientId: principal.clientId,
      audience: endpoint(),
      now: NOW,
    })
    const { client_id: _, ...withoutClientId } = assertionForm(principal, assertion)
    assert.equal((await post(endpoint(), withoutClientId)).status, 200)
  })

  test('each wrong assertion gets the AADSTS error Azure AD gives', async (t) => {
    const { ctx, principal, certificate, endpoint } = await setUp(t)
    const sign = (options: Partial<Parameters<typeof signAssertion>[1]> = {}, cert = certificate) =>
      signAssertion(cert, { clientId: principal.clientId, audience: endpoint(), now: NOW, ...options })
    const refuse = async (
      assertion: string,
      code: number,
      message?: RegExp,
      extra: Record<string, string> = {},
    ) =>
      assertAad(
        post(endpoint(), assertionForm(principal, assertion, 'v2', extra)),
        401,
        'invalid_client',
        code,
        message,
      )

    // The form
    const good = await sign()
    const { client_assertion_type: _, ...untyped } = assertionForm(principal, good)
    await assertAad(post(endpoint(), untyped), 400, 'invalid_request', 900144, /client_assertion_type/)
    await assertAad(
      post(endpoint(), assertionForm(principal, good, 'v2', { client_assertion_type: 'urn:other' })),
      400,
      'invalid_request',
      50027,
    )
    await refuse(good, 7000218, /only one/, { client_secret: principal.secret })
    await refuse('not-a-jwt', 50027, /not a signed JWT/)

    // The key
    const stranger = validAtStart()
    await refuse(
      await sign({}, stranger),
      700027,
      new RegExp(`The key was not found.*${stranger.thumbprintSha256}`),
    )
    await refuse(await sign({ thumbprint: 'none' }), 700027, /The key was not found/)
    await refuse(
      await sign({ signingKey: stranger.privateKey }),
      700027,
      /did not match the expected signature/,
    )

    // The claims
    await refuse(
      await sign({ audience: `https://login.microsoftonline.com/${crypto.randomUUID()}/oauth2/v2.0/token` }),
      700023,
    )
    await refuse(
      await sign({ audience: `https://attacker.example/${principal.tenantId}/oauth2/v2.0/token` }),
      700023,
    )
    await refuse(await sign({ claims: { iss: crypto.randomUUID() } }), 700021)
    await refuse(await sign({ claims: { sub: crypto.randomUUID() } }), 700021)
    await refuse(await sign({ now: NOW - 3600 }), 700024, /not within its valid time range/)
    await refuse(await sign({ claims: { nbf: NOW + 3600, exp: NOW + 4200 } }), 700024)
    await refuse(await sign({ claims: { jti: undefined } }), 50027, /jti/)
    await refuse(await sign({ claims: { exp: undefined } }), 50027, /exp/)

    // Within Azure AD's five minutes of skew, both ways
    assert.equal(
      (await post(endpoint(), assertionForm(principal, await sign({ claims: { nbf: NOW + 240 } })))).status,
      200,
    )
    assert.equal(
      (await post(endpoint(), assertionForm(principal, await sign({ claims: { exp: NOW - 240 } })))).status,
      200,
    )

    // Replay: an assertion authenticates once
    const once = await sign()
    assert.equal((await post(endpoint(), assertionForm(principal, once))).status, 200)
    await refuse(once, 50027, /jti has been used before/)

    // A removed certificate, an expired one
    await ctx.services.principals.removeCertificate(principal.id, certificate.thumbprintSha1.toLowerCase())
    await refuse(await sign(), 700027, /The key was not found/)
    const expired = createTestCertificate({
      notBefore: new Date(START.getTime() - 30 * DAY_MS),
      notAfter: new Date(START.getTime() - DAY_MS),
    })
    await ctx.services.principals.addCertificates(principal.id, expired.certificate)
    await refuse(await sign({}, expired), 700027, /The key used is expired/)
  })

  test('a jti spent at one replica is refused at another sharing the database', async (t) => {
    const first = await setUp(t)
    const second = await startTestApp(t, {
      stores: first.ctx.stores,
      masterKey: first.ctx.masterKey,
      clock: first.ctx.clock,
    })
    const secondOrigin = await second.app.listen({ host: '127.0.0.1', port: 0 })
    const { principal, certificate } = first
    const assertion = await signAssertion(certificate, {
      clientId: principal.clientId,
      audience: `https://login.microsoftonline.com/${principal.tenantId}/oauth2/v2.0/token`,
      now: NOW,
    })
    assert.equal((await post(first.endpoint(), assertionForm(principal, assertion))).status, 200)
    await assertAad(
      post(`${secondOrigin}/${principal.tenantId}/oauth2/v2.0/token`, assertionForm(principal, assertion)),
      401,
      'invalid_client',
      50027,
    )
  })

  test('administration: certificates are registered once, shown by thumbprint, removed by either', async (t) => {
    const ctx = await startTestApp(t)
    const certificate = validAtStart()
    const created = await ctx.services.principals.create({
      displayName: 'pipeline',
      withSecret: false,
      certificates: [certificate.certificate + certificate.privateKey],
    })
    assert.equal(created.secret, undefined)
    assert.equal(created.certificates[0]?.thumbprintSha256, certificate.thumbprintSha256)
    const [listed] = await ctx.services.principals.list()
    assert.deepEqual(
      listed?.certificates.map(({ thumbprintSha1, thumbprintSha256 }) => ({
        thumbprintSha1,
        thumbprintSha256,
      })),
      [{ thumbprintSha1: certificate.thumbprintSha1, thumbprintSha256: certificate.thumbprintSha256 }],
    )
    assert.doesNotMatch(JSON.stringify(listed), /PRIVATE KEY|BEGIN CERTIFICATE/)
    await assert.rejects(
      ctx.services.principals.addCertificates(created.principal.id, certificate.certificate),
      {
        statusCode: 409,
      },
    )
    await assert.rejects(ctx.services.principals.addCertificates(created.principal.id, 'not a certificate'), {
      statusCode: 400,
    })
    await ctx.services.principals.removeCertificate(
      created.principal.id,
      certificate.thumbprintSha256.toLowerCase(),
    )
    await assert.rejects(
      ctx.services.principals.removeCertificate(created.principal.id, certificate.thumbprintSha256),
      {
        statusCode: 404,
      },
    )
  })
})
