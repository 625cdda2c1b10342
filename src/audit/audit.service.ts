import { type Caller, isStoreAdministrator } from '../auth/caller.ts'
import type { Clock } from '../clock.ts'
import { errors } from '../errors/errors.ts'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import { formatTimestamp } from '../timestamps.ts'
import type { AuditStore } from './audit.store.ts'
import type { AuditEvent, AuditFilter } from './audit-event.ts'

const DAY_MS = 86_400_000

/** Reading the audit trail, and keeping it to its retention. */
export interface AuditService {
  /**
   * The records that match the filter, oldest first. The store administrator (the CLI) reads every
   * record; anyone else names a publisher and holds an Owner grant on it, as for the other /admin
   * endpoints, and reads that publisher's records only.
   */
  list(caller: Caller, filter: AuditFilter): Promise<AuditEvent[]>
  /** Deletes the records older than the retention (none when it is 0); answers how many. */
  prune(): Promise<number>
}

export function createAuditService(deps: {
  audit: AuditStore
  access: PublisherAccess
  clock: Clock
  /** config.auditRetentionDays: 0 keeps every record. */
  retentionDays: number
}): AuditService {
  return {
    async list(caller, filter) {
      if (!isStoreAdministrator(caller)) {
        if (filter.publisherId === undefined)
          throw errors.badRequest('Name the publisher whose audit trail to read.')
        await deps.access.require(caller, filter.publisherId, 'Owner')
      }
      return deps.audit.listAuditEvents(filter)
    },
    async prune() {
      if (deps.retentionDays === 0) return 0
      const before = new Date(deps.clock.now().getTime() - deps.retentionDays * DAY_MS)
      return deps.audit.pruneAuditEvents(formatTimestamp(before))
    },
  }
}
