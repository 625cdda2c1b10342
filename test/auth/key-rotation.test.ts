import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { createAuditRecorder } from '../../src/audit/record-change.ts'
import { unseal } from '../../src/auth/sealed-box.ts'
import { createKeyring } from '../../src/token-service/keyring.ts'
import { startTestApp } from '../helpers/test-app.ts'
import { decodeToken, listOffers } from '../helpers/token-requests.ts'

const RELOAD_INTERVAL_MS = 60_000

async function setUp(t: Parameters<typeof startTestApp>[0]) {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso')
  return { ctx, principal }
}

async function jwksKids(ctx: Awaited<ReturnType<typeof setUp>>['ctx']): Promise<string[]> {
  return ((await ctx.app.inject('/common/discovery/keys')).json().keys as { kid: string }[]).map(
    (key) => key.kid,
  )
}

/** `cloudpartner keys rotate` rotates through its own keyring over the store; the server follows. */
test('after a rotation, old tokens keep working, the JWKS lists both keys, and new tokens use the new one', async (t) => {
  const { ctx, principal } = await setUp(t)
  const before = await ctx.tokenFor(principal)
  const oldKid = decodeToken(before).header.kid as string

  const newKid = await ctx.keyring.rotate()
  assert.notEqual(newKid, oldKid)

  // Another replica's token under the new key, before this server re-read its keys: an unknown kid
  // makes it look again.
  const fromReplica = await ctx.signWithServerKey({
    iss: `https://sts.windows.net/${principal.tenantId}/`,
    tid: principal.tenantId,
    appid: principal.clientId,
  })
  assert.equal(decodeToken(fromReplica).header.kid, newKid)
  assert.equal((await listOffers(ctx.app, 'contoso', `Bearer ${fromReplica}`)).statusCode, 200)

  ctx.clock.advance(RELOAD_INTERVAL_MS + 1)
  assert.deepEqual(await jwksKids(ctx), [newKid, oldKid])
  const after = await ctx.tokenFor(principal)
  assert.equal(decodeToken(after).header.kid, newKid)
  for (const token of [before, after]) {
    assert.equal((await listOffers(ctx.app, 'contoso', `Bearer ${token}`)).statusCode, 200)
  }
})

test('keys are persisted with the private half sealed under the master key', async (t) => {
  const { ctx } = await setUp(t)
  await ctx.keyring.rotate()

  const stored = await ctx.stores.signingKeys.listSigningKeys()
  assert.equal(stored.length, 2)
  assert.equal(stored.filter((key) => key.retiredTime === undefined).length, 1)
  for (const key of stored) {
    const publicJwk = JSON.parse(key.publicJwk) as Record<string, unknown>
    assert.deepEqual(Object.keys(publicJwk).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use', 'x5t'])
    assert.match(key.sealedPrivateJwk, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/)
    const privateJwk = JSON.parse(unseal(ctx.masterKey, key.sealedPrivateJwk)) as Record<string, string>
    assert.equal(privateJwk.kid, key.kid)
    // No private part of the key shows in the row, in any encoding it could be in.
    for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
      const value = privateJwk[part] as string
      assert.ok(value.length > 20)
      const row = JSON.stringify(key)
      assert.equal(row.includes(value), false, part)
      assert.equal(row.includes(Buffer.from(value, 'base64url').toString('base64')), false, part)
    }
    assert.throws(() => unseal(randomBytes(32), key.sealedPrivateJwk), /master key/)
  }
})

test('a restarted server signs and verifies with the persisted keys', async (t) => {
  const { ctx, principal } = await setUp(t)
  const token = await ctx.tokenFor(principal)
  const restarted = await startTestApp(t, { stores: ctx.stores, masterKey: ctx.masterKey, clock: ctx.clock })

  assert.equal((await listOffers(restarted.app, 'contoso', `Bearer ${token}`)).statusCode, 200)
  assert.equal(decodeToken(await restarted.tokenFor(principal)).header.kid, decodeToken(token).header.kid)
})

test('a rotation with the wrong master key is refused and changes nothing', async (t) => {
  const { ctx, principal } = await setUp(t)
  const before = await ctx.stores.signingKeys.listSigningKeys()
  const wrong = createKeyring({
    store: ctx.stores.signingKeys,
    masterKey: () => randomBytes(32),
    clock: ctx.clock,
    transaction: ctx.stores.transaction,
    audit: createAuditRecorder(ctx),
  })

  await assert.rejects(wrong.rotate(), /master key/)

  assert.deepEqual(await ctx.stores.signingKeys.listSigningKeys(), before)
  ctx.clock.advance(RELOAD_INTERVAL_MS + 1)
  assert.equal(
    (await listOffers(ctx.app, 'contoso', `Bearer ${await ctx.tokenFor(principal)}`)).statusCode,
    200,
  )
})

test('keys retired longer ago than any token lives are dropped at the next rotation', async (t) => {
  const { ctx } = await setUp(t)
  const [first] = await jwksKids(ctx)
  const second = await ctx.keyring.rotate()
  ctx.clock.advance(25 * 3600 * 1000)

  const third = await ctx.keyring.rotate()

  assert.deepEqual(await jwksKids(ctx), [third, second])
  assert.equal((await jwksKids(ctx)).includes(first as string), false)
})
