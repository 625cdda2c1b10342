import type { SqlQueryable, SqlValue } from '../storage/database.ts'
import type { AuditStore } from './audit.store.ts'
import type { AuditActor, AuditDoor, AuditEvent, AuditFilter } from './audit-event.ts'

interface AuditRow {
  id: string
  time: string
  door: string
  principal_id: string | null
  tenant_id: string | null
  client_id: string | null
  os_user: string | null
  action: string
  publisher_id: string | null
  offer_id: string | null
  subject_id: string | null
  request_id: string | null
  correlation_id: string | null
  outcome: string
  details: string | null
}

const COLUMNS =
  'id, time, door, principal_id, tenant_id, client_id, os_user, action, publisher_id, offer_id, subject_id, request_id, correlation_id, outcome, details'

/** The most a single read answers, whatever the caller asks. */
export const MAX_AUDIT_EVENTS = 10_000

export class SqlAuditStore implements AuditStore {
  readonly #db: SqlQueryable

  constructor(db: SqlQueryable) {
    this.#db = db
  }

  async appendAuditEvent(event: AuditEvent): Promise<void> {
    await this.#db.run(
      `INSERT INTO audit_events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        event.id,
        event.time,
        event.door,
        event.actor.principalId ?? null,
        event.actor.tenantId ?? null,
        event.actor.clientId ?? null,
        event.actor.osUser ?? null,
        event.action,
        event.publisherId ?? null,
        event.offerId ?? null,
        event.subjectId ?? null,
        event.requestId ?? null,
        event.correlationId ?? null,
        event.outcome,
        event.details === undefined ? null : JSON.stringify(event.details),
      ],
    )
  }

  async listAuditEvents(filter: AuditFilter): Promise<AuditEvent[]> {
    // Only the conditions asked for, so that each combination uses its index; the texts are few
    // (one per combination), and the same on both databases.
    const conditions: string[] = []
    const params: SqlValue[] = []
    const when = (condition: string, value: string | undefined) => {
      if (value === undefined) return
      conditions.push(condition)
      params.push(value)
    }
    when('publisher_id = ?', filter.publisherId)
    when('offer_id = ?', filter.offerId)
    when('principal_id = ?', filter.principalId)
    when('time >= ?', filter.since)
    when('time < ?', filter.until)
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`
    params.push(Math.min(filter.limit ?? MAX_AUDIT_EVENTS, MAX_AUDIT_EVENTS))
    const rows = await this.#db.all<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_events ${where} ORDER BY ${filter.newestFirst ? 'time DESC, id DESC' : 'time, id'} LIMIT ?`,
      params,
    )
    return rows.map(toEvent)
  }

  async pruneAuditEvents(before: string): Promise<number> {
    return (await this.#db.run('DELETE FROM audit_events WHERE time < ?', [before])).changes
  }
}

function toEvent(row: AuditRow): AuditEvent {
  const actor: AuditActor = {
    ...(row.principal_id === null ? {} : { principalId: row.principal_id }),
    ...(row.tenant_id === null ? {} : { tenantId: row.tenant_id }),
    ...(row.client_id === null ? {} : { clientId: row.client_id }),
    ...(row.os_user === null ? {} : { osUser: row.os_user }),
  }
  return {
    id: row.id,
    time: row.time,
    door: row.door as AuditDoor,
    actor,
    action: row.action as AuditEvent['action'],
    outcome: row.outcome,
    ...(row.publisher_id === null ? {} : { publisherId: row.publisher_id }),
    ...(row.offer_id === null ? {} : { offerId: row.offer_id }),
    ...(row.subject_id === null ? {} : { subjectId: row.subject_id }),
    ...(row.request_id === null ? {} : { requestId: row.request_id }),
    ...(row.correlation_id === null ? {} : { correlationId: row.correlation_id }),
    ...(row.details === null ? {} : { details: JSON.parse(row.details) as Record<string, unknown> }),
  }
}
