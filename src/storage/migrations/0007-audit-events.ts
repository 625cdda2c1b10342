import type { Migration } from '../migration.ts'

/**
 * The audit trail (src/audit/): one row per change, written in the change's own transaction. No
 * foreign keys: a record outlives the principal, offer or publisher it names. `details` is JSON
 * text (ETags, an offer's diff), never a secret. Read by time, by publisher and offer, and by
 * principal; pruned by time.
 */
export const auditEventsMigration: Migration = {
  id: 7,
  name: 'audit-events',
  sql: `
    CREATE TABLE audit_events (
      id TEXT PRIMARY KEY,
      time TEXT NOT NULL,
      door TEXT NOT NULL,
      principal_id TEXT,
      tenant_id TEXT,
      client_id TEXT,
      os_user TEXT,
      action TEXT NOT NULL,
      publisher_id TEXT,
      offer_id TEXT,
      subject_id TEXT,
      request_id TEXT,
      correlation_id TEXT,
      outcome TEXT NOT NULL,
      details TEXT
    );
    CREATE INDEX audit_events_by_time ON audit_events (time, id);
    CREATE INDEX audit_events_by_offer ON audit_events (publisher_id, offer_id, time);
    CREATE INDEX audit_events_by_principal ON audit_events (principal_id, time);
  `,
}
