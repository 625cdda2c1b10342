import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Caller } from '../../src/auth/caller.ts'
import { startTestApp, type TestPrincipal } from '../helpers/test-app.ts'

/**
 * The portal's administration rules (principal-administration.ts), through the app's own service
 * over the backend under test: an Owner administers its publishers and nothing else; in development
 * mode every viewer administers everything.
 */
const callerOf = (principal: TestPrincipal): Caller => ({
  tenantId: principal.tenantId,
  clientId: principal.clientId,
  principalId: principal.id,
})

async function twoPublishers(t: Parameters<typeof startTestApp>[0], production: boolean) {
  const app = await startTestApp(t, { settings: { production } })
  await app.createPublisher('contoso')
  await app.createPublisher('fabrikam')
  const owner = await app.createPrincipal({ displayName: 'contoso owner' })
  await app.grant(owner, 'contoso', 'Owner')
  const both = await app.createPrincipal({ displayName: 'on both' })
  await app.grant(both, 'contoso', 'Contributor')
  await app.grant(both, 'fabrikam', 'Contributor')
  const fabrikamOnly = await app.createPrincipal({ displayName: 'fabrikam only' })
  await app.grant(fabrikamOnly, 'fabrikam', 'Owner')
  return { app, owner, both, fabrikamOnly, admin: app.services.principalAdministration }
}

test('an Owner administers its publishers only: what it sees, grants, revokes and rotates', async (t) => {
  const { owner, both, fabrikamOnly, admin } = await twoPublishers(t, true)
  const caller = callerOf(owner)
  assert.deepEqual(await admin.scope(caller), { all: false, publisherIds: ['contoso'] })
  assert.deepEqual(await admin.publisherIds(caller), ['contoso'])
  const listed = await admin.listPrincipals(caller)
  assert.deepEqual(
    listed.map((principal) => [principal.displayName, principal.grants.map((grant) => grant.publisherId)]),
    [
      ['contoso owner', ['contoso']],
      ['on both', ['contoso']],
    ].sort(),
    "fabrikam's principal is not shown, nor anyone's role on fabrikam",
  )

  await assert.rejects(admin.grant(caller, both.id, { publisherId: 'fabrikam', role: 'Owner' }), {
    statusCode: 403,
  })
  await assert.rejects(admin.revoke(caller, both.id, 'fabrikam'), { statusCode: 403 })
  await assert.rejects(
    admin.rotateSecret(caller, both.id),
    { statusCode: 403 },
    'its secret reaches fabrikam too',
  )
  await assert.rejects(admin.rotateSecret(caller, fabrikamOnly.id), { statusCode: 404 })
  await assert.rejects(admin.createPrincipal(caller, { displayName: 'x' }), { statusCode: 400 })
  await assert.rejects(
    admin.createPrincipal(caller, {
      displayName: 'x',
      grant: { publisherId: 'fabrikam', role: 'Contributor' },
    }),
    { statusCode: 403 },
  )

  // A first role on an owned publisher brings another Owner's principal into scope.
  await admin.grant(caller, fabrikamOnly.id, { publisherId: 'contoso', role: 'Contributor' })
  assert.ok((await admin.listPrincipals(caller)).some((principal) => principal.id === fabrikamOnly.id))
  await admin.revoke(caller, fabrikamOnly.id, 'contoso')
  const created = await admin.createPrincipal(caller, {
    displayName: 'pipeline',
    grant: { publisherId: 'contoso', role: 'Contributor' },
  })
  assert.ok(created.secret)
  const { secret } = await admin.rotateSecret(caller, created.principal.id)
  assert.notEqual(secret, created.secret)
  const before = await admin.listSigningKeys(caller)
  await admin.rotateSigningKey(caller)
  assert.equal((await admin.listSigningKeys(caller)).length, before.length + 1)
})

test('a principal without an Owner grant administers nothing (403)', async (t) => {
  const { both, admin } = await twoPublishers(t, true)
  await assert.rejects(admin.scope(callerOf(both)), { statusCode: 403, code: 'Forbidden' })
  await assert.rejects(admin.listPrincipals(callerOf(both)), { statusCode: 403 })
  await assert.rejects(admin.rotateSigningKey(callerOf(both)), { statusCode: 403 })
})

test('development mode: every viewer administers every publisher, and may create a principal without a role', async (t) => {
  const { both, admin } = await twoPublishers(t, false)
  const caller = callerOf(both)
  assert.deepEqual(await admin.scope(caller), { all: true })
  assert.deepEqual((await admin.publisherIds(caller)).sort(), ['contoso', 'fabrikam'])
  const created = await admin.createPrincipal(caller, { displayName: 'loose' })
  assert.deepEqual(created.grants, [])
  assert.ok((await admin.listPrincipals(caller)).some((principal) => principal.id === created.principal.id))
})
