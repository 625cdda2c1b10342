import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock.ts'
import { nextTimestamp } from '../timestamps.ts'
import type { AuditStore } from './audit.store.ts'
import type { AuditChange, AuditEvent } from './audit-event.ts'
import { currentChangeContext } from './change-context.ts'

/**
 * Writes a change's record. Services call it with the audit store of the transaction that makes the
 * change, after the change's own writes: the record commits with the change or rolls back with it.
 */
export interface AuditRecorder {
  record(store: AuditStore, change: AuditChange): Promise<AuditEvent>
}

export function createAuditRecorder(deps: { clock: Clock }): AuditRecorder {
  // Strictly increasing within the process, so that the trail lists one unit's changes in order.
  let last: string | undefined
  return {
    async record(store, change) {
      const context = currentChangeContext()
      last = nextTimestamp(deps.clock.now(), last)
      const caller = context.caller
      const event: AuditEvent = {
        id: randomUUID(),
        time: last,
        door: context.door,
        actor: {
          ...(caller?.principalId === undefined ? {} : { principalId: caller.principalId }),
          ...(caller === undefined ? {} : { tenantId: caller.tenantId }),
          ...(caller?.clientId === undefined ? {} : { clientId: caller.clientId }),
          ...(context.osUser === undefined ? {} : { osUser: context.osUser }),
        },
        ...(context.requestId === undefined ? {} : { requestId: context.requestId }),
        ...(context.correlationId === undefined ? {} : { correlationId: context.correlationId }),
        ...change,
      }
      await store.appendAuditEvent(event)
      return event
    },
  }
}
