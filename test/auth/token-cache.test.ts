import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CLOUD_PARTNER_RESOURCE } from '../../src/auth/cloud-partner.ts'
import { createTokenVerifier, InvalidTokenError } from '../../src/auth/token-verifier.ts'
import type { Keyring } from '../../src/token-service/keyring.ts'
import { createTokenIssuer } from '../../src/token-service/token-issuer.ts'
import { startTestApp } from '../helpers/test-app.ts'
import { assertUnauthorized, listOffers } from '../helpers/token-requests.ts'

const TOLERANCE_MS = 300_000

/** The real keyring, counting how often a signature check asks it for a key. */
function countingKeyring(keyring: Keyring): { keyring: Keyring; lookups: () => number } {
  let lookups = 0
  return {
    keyring: {
      ...keyring,
      verificationKey: async (kid: string) => {
        lookups += 1
        return keyring.verificationKey(kid)
      },
    },
    lookups: () => lookups,
  }
}

async function setUp(t: Parameters<typeof startTestApp>[0]) {
  const ctx = await startTestApp(t)
  const { id } = await ctx.createPrincipal()
  const principal = await ctx.stores.principals.findPrincipal(id)
  assert.ok(principal)
  const counting = countingKeyring(ctx.keyring)
  const verifier = createTokenVerifier({
    keyring: counting.keyring,
    clock: ctx.clock,
    audiences: [CLOUD_PARTNER_RESOURCE],
    externalIssuers: [],
  })
  const issuer = createTokenIssuer({ keyring: ctx.keyring, clock: ctx.clock, tokenLifetimeSeconds: 3600 })
  const mint = async () => (await issuer.issue(principal, CLOUD_PARTNER_RESOURCE)).accessToken
  return { ctx, principal, verifier, mint, lookups: counting.lookups }
}

test('a verified token is not checked again while it lives', async (t) => {
  const { ctx, principal, verifier, mint, lookups } = await setUp(t)
  const token = await mint()

  for (let i = 0; i < 5; i += 1) {
    const verified = await verifier.verify(token)
    assert.equal(verified.clientId, principal.clientId)
    ctx.clock.advance(10 * 60 * 1000)
  }
  assert.equal(lookups(), 1)

  await verifier.verify(await mint())
  assert.equal(lookups(), 2, 'another token is checked on its own')
})

test('a cached token is refused once it has expired, tolerance included', async (t) => {
  const { ctx, verifier, mint } = await setUp(t)
  const token = await mint()
  const verified = await verifier.verify(token)

  ctx.clock.set(new Date(verified.expiresAt + TOLERANCE_MS - 1))
  await verifier.verify(token)
  ctx.clock.set(new Date(verified.expiresAt + TOLERANCE_MS))
  await assert.rejects(verifier.verify(token), (error) => {
    assert.ok(error instanceof InvalidTokenError)
    assert.match(error.message, /expired/)
    return true
  })
})

test('through the app: a token used while valid is refused after expiry, not served from the cache', async (t) => {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso')
  const token = await ctx.tokenFor(principal)
  assert.equal((await listOffers(ctx.app, 'contoso', `Bearer ${token}`)).statusCode, 200)

  ctx.clock.advance(ctx.config.tokenLifetimeSeconds * 1000 + TOLERANCE_MS + 1000)

  assert.match(assertUnauthorized(await listOffers(ctx.app, 'contoso', `Bearer ${token}`)), /expired/)
})
