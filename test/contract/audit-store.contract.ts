import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { AuditEvent } from '../../src/audit/audit-event.ts'
import type { Backend } from '../helpers/backends.ts'
import { openFresh } from './open-fresh.ts'

function event(n: number, offerId: string): AuditEvent {
  return {
    id: `event-${n}`,
    time: `2026-11-21T10:00:0${n}.0000000Z`,
    door: 'api',
    actor: { principalId: 'p' },
    action: 'offer.put',
    publisherId: 'contoso',
    offerId,
    outcome: 'replaced',
  }
}

export function auditStoreContract(backend: Backend): void {
  describe(`AuditStore on ${backend.name}`, () => {
    test('records are listed oldest first, or newest first; a limit keeps the first of that order', async (t) => {
      const stores = await openFresh(t, backend)
      for (const n of [1, 2, 3, 4]) await stores.audit.appendAuditEvent(event(n, n === 3 ? 'other' : 'vm'))
      const ids = (events: AuditEvent[]) => events.map((each) => each.id)
      const vm = { publisherId: 'contoso', offerId: 'vm' }
      assert.deepEqual(ids(await stores.audit.listAuditEvents(vm)), ['event-1', 'event-2', 'event-4'])
      assert.deepEqual(ids(await stores.audit.listAuditEvents({ ...vm, limit: 2 })), ['event-1', 'event-2'])
      assert.deepEqual(ids(await stores.audit.listAuditEvents({ ...vm, newestFirst: true, limit: 2 })), [
        'event-4',
        'event-2',
      ])
    })
  })
}
