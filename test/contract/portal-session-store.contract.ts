import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Backend } from '../helpers/backends.ts'
import { openFresh, T0 } from './open-fresh.ts'

const principal = {
  id: 'p-portal',
  tenantId: 'tenant-1',
  clientId: 'app-portal',
  objectId: 'obj-portal',
  displayName: 'Portal user',
  secretHash: 'scrypt$hash',
  createdTime: T0,
}

const session = (idHash: string, expiresTime: string) => ({
  idHash,
  principalId: principal.id,
  createdTime: T0,
  expiresTime,
})

export function portalSessionStoreContract(backend: Backend): void {
  describe(`PortalSessionStore on ${backend.name}`, () => {
    test('creates, finds and deletes sessions by the hash of their id', async (t) => {
      const { principals, portalSessions } = await openFresh(t, backend)
      await principals.createPrincipal(principal)
      await portalSessions.createSession(session('hash-1', '2026-11-21T18:00:00.0000000Z'))
      assert.deepEqual(
        await portalSessions.findSession('hash-1'),
        session('hash-1', '2026-11-21T18:00:00.0000000Z'),
      )
      assert.equal(await portalSessions.findSession('hash-2'), undefined)
      assert.equal(await portalSessions.deleteSession('hash-1'), true)
      assert.equal(await portalSessions.deleteSession('hash-1'), false)
      assert.equal(await portalSessions.findSession('hash-1'), undefined)
    })

    test('prunes the sessions that expired before a time, and only those', async (t) => {
      const { principals, portalSessions } = await openFresh(t, backend)
      await principals.createPrincipal(principal)
      await portalSessions.createSession(session('old', '2026-11-21T09:59:59.9999999Z'))
      await portalSessions.createSession(session('now', '2026-11-21T10:00:00.0000000Z'))
      await portalSessions.createSession(session('later', '2026-11-21T18:00:00.0000000Z'))
      assert.equal(await portalSessions.deleteExpiredSessions(T0), 1)
      assert.equal(await portalSessions.findSession('old'), undefined)
      assert.ok(await portalSessions.findSession('now'))
      assert.ok(await portalSessions.findSession('later'))
    })

    test("a principal's sessions are deleted with it", async (t) => {
      const { principals, portalSessions } = await openFresh(t, backend)
      await principals.createPrincipal(principal)
      await portalSessions.createSession(session('hash-1', '2026-11-21T18:00:00.0000000Z'))
      assert.equal(await principals.deletePrincipal(principal.id), true)
      assert.equal(await portalSessions.findSession('hash-1'), undefined)
    })
  })
}
