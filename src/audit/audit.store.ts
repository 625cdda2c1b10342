import type { AuditEvent, AuditFilter } from './audit-event.ts'

/** The audit trail's storage: appended to inside the changes' transactions, read, pruned. */
export interface AuditStore {
  /** Adds the event to the trail, in whatever transaction the store is bound to. */
  appendAuditEvent(event: AuditEvent): Promise<void>
  /** The events that match every filter given, oldest first (by time, then id), or newest first. */
  listAuditEvents(filter: AuditFilter): Promise<AuditEvent[]>
  /** Deletes the events older than `before` (a CPP timestamp); answers how many. */
  pruneAuditEvents(before: string): Promise<number>
}
