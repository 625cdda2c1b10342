import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Backend } from '../helpers/backends.ts'
import { openFresh, T0 } from './open-fresh.ts'

const alice = {
  id: 'p-alice',
  tenantId: 'tenant-1',
  clientId: 'app-alice',
  objectId: 'obj-alice',
  displayName: 'Alice',
  secretHash: 'scrypt$hash',
  createdTime: T0,
}
const external = {
  id: 'p-ext',
  tenantId: 'tenant-2',
  clientId: 'app-ext',
  objectId: 'obj-ext',
  displayName: 'External',
  createdTime: T0,
}

export function principalStoreContract(backend: Backend): void {
  describe(`PrincipalStore on ${backend.name}`, () => {
    test('creates principals; client id and object id are unique within a tenant', async (t) => {
      const { principals } = await openFresh(t, backend)
      assert.equal(await principals.createPrincipal(alice), true)
      assert.equal(await principals.createPrincipal(external), true)
      assert.equal(
        await principals.createPrincipal({ ...alice, id: 'p-other', objectId: 'obj-other' }),
        false,
      )
      assert.equal(
        await principals.createPrincipal({ ...alice, id: 'p-other', clientId: 'app-other' }),
        false,
      )
      assert.equal(await principals.createPrincipal({ ...alice, id: 'p-other', tenantId: 'tenant-9' }), true)
      assert.deepEqual(await principals.findPrincipal('p-alice'), {
        id: 'p-alice',
        tenantId: 'tenant-1',
        clientId: 'app-alice',
        objectId: 'obj-alice',
        displayName: 'Alice',
        hasSecret: true,
        createdTime: T0,
      })
      assert.equal((await principals.findPrincipal('p-ext'))?.hasSecret, false)
      assert.equal(await principals.findPrincipal('nope'), undefined)
      assert.equal((await principals.listPrincipals()).length, 3)
      assert.equal(await principals.hasTenant('tenant-2'), true)
      assert.equal(await principals.hasTenant('tenant-7'), false)
    })

    test('replaces the hash of a secret, never gives one to a principal that has none', async (t) => {
      const { principals } = await openFresh(t, backend)
      await principals.createPrincipal(alice)
      await principals.createPrincipal(external)
      assert.equal(await principals.replaceSecretHash('p-alice', 'scrypt$new'), true)
      assert.equal((await principals.findCredentials('tenant-1', 'app-alice'))?.secretHash, 'scrypt$new')
      assert.equal(await principals.replaceSecretHash('p-ext', 'scrypt$new'), false)
      assert.equal((await principals.findCredentials('tenant-2', 'app-ext'))?.secretHash, undefined)
      assert.equal(await principals.replaceSecretHash('nope', 'scrypt$new'), false)
    })

    test('finds credentials by tenant and client id, and tokens by appid or oid', async (t) => {
      const { principals } = await openFresh(t, backend)
      await principals.createPrincipal(alice)
      await principals.createPrincipal(external)
      assert.equal((await principals.findCredentials('tenant-1', 'app-alice'))?.secretHash, 'scrypt$hash')
      assert.equal((await principals.findCredentials('tenant-2', 'app-ext'))?.secretHash, undefined)
      assert.equal(await principals.findCredentials('tenant-2', 'app-alice'), undefined)
      assert.equal((await principals.findByToken('tenant-2', 'app-ext', undefined))?.id, 'p-ext')
      assert.equal((await principals.findByToken('tenant-2', 'unknown-app', 'obj-ext'))?.id, 'p-ext')
      assert.equal(await principals.findByToken('tenant-1', 'app-ext', 'obj-ext'), undefined)
      assert.equal(await principals.findByToken('tenant-2', undefined, undefined), undefined)
    })

    test('grants, changes, lists and revokes roles; deleting a principal removes its grants', async (t) => {
      const { principals } = await openFresh(t, backend)
      await principals.createPrincipal(alice)
      await principals.grant({ principalId: 'p-alice', publisherId: 'contoso', role: 'Contributor' }, T0)
      await principals.grant({ principalId: 'p-alice', publisherId: 'adatum', role: 'Owner' }, T0)
      await principals.grant({ principalId: 'p-alice', publisherId: 'contoso', role: 'Owner' }, T0)
      assert.equal(await principals.findRole('p-alice', 'contoso'), 'Owner')
      assert.equal(await principals.findRole('p-alice', 'fabrikam'), undefined)
      assert.deepEqual(await principals.listGrants('p-alice'), [
        { principalId: 'p-alice', publisherId: 'adatum', role: 'Owner' },
        { principalId: 'p-alice', publisherId: 'contoso', role: 'Owner' },
      ])
      assert.equal(await principals.revoke('p-alice', 'adatum'), true)
      assert.equal(await principals.revoke('p-alice', 'adatum'), false)
      assert.equal(await principals.deletePrincipal('p-alice'), true)
      assert.equal(await principals.deletePrincipal('p-alice'), false)
      assert.deepEqual(await principals.listGrants('p-alice'), [])
      assert.equal(await principals.findRole('p-alice', 'contoso'), undefined)
    })

    test('the access revision moves with every write that changes who may reach what, and only then', async (t) => {
      const stores = await openFresh(t, backend)
      const { principals } = stores
      const seen: number[] = [await principals.accessRevision()]
      const moved = async (what: string) => {
        const now = await principals.accessRevision()
        assert.ok(now > (seen.at(-1) as number), `${what} moves the access revision`)
        seen.push(now)
      }
      const still = async (what: string) =>
        assert.equal(await principals.accessRevision(), seen.at(-1), `${what} leaves it alone`)
      assert.equal(seen[0], 0, 'a new store starts at 0')
      await principals.createPrincipal(alice)
      await moved('a new principal')
      await principals.createPrincipal(alice)
      await still('a principal refused as a duplicate')
      await principals.grant({ principalId: 'p-alice', publisherId: 'contoso', role: 'Owner' }, T0)
      await moved('a grant')
      await principals.grant({ principalId: 'p-alice', publisherId: 'contoso', role: 'Contributor' }, T0)
      await moved('a changed role')
      await stores.publishers.createPublisher(
        { id: 'contoso', displayText: 'Contoso', offerTypeCategories: [], version: 1 },
        T0,
      )
      await moved('a new publisher')
      await principals.findByToken('tenant-1', 'app-alice', undefined)
      await principals.replaceSecretHash('p-alice', 'scrypt$other')
      await still('a read, and a new secret (tokens already issued stay valid until they expire)')
      assert.equal(await principals.revoke('p-alice', 'contoso'), true)
      await moved('a revoke')
      assert.equal(await principals.revoke('p-alice', 'contoso'), false)
      await still('a revoke of nothing')
      assert.equal(await principals.deletePrincipal('p-alice'), true)
      await moved('a deleted principal')
      await stores
        .transaction(async (tx) => {
          await tx.principals.createPrincipal(external)
          throw new Error('rolled back')
        })
        .catch(() => undefined)
      await still('a rolled-back write')
    })

    test('a grant names a role the store accepts, nothing else', async (t) => {
      const { principals } = await openFresh(t, backend)
      await principals.createPrincipal(alice)
      await assert.rejects(
        principals.grant({ principalId: 'p-alice', publisherId: 'x', role: 'Admin' as never }, T0),
      )
      await assert.rejects(principals.grant({ principalId: 'nobody', publisherId: 'x', role: 'Owner' }, T0))
    })
  })
}
