import type { Migration } from '../migration.ts'

/**
 * The durable publishing engine: operations (submissions) with their steps, the outbox of
 * notification e-mails, and failures injected for an offer's next publish.
 *
 * - `in_flight_key` is `{publisher}/{offer}` while an operation runs or waits for sign-off, NULL
 *   otherwise: its UNIQUE index lets the database itself refuse a second operation in flight, even
 *   from another replica (both SQLite and PostgreSQL allow many NULLs in a UNIQUE column).
 * - `row_version` is compared and incremented by every state change (compare-and-set), so a
 *   transition is stored once even when two workers compute it.
 * - `lease_owner`/`lease_until` let one worker claim a due operation; a lapsed lease is taken over.
 * - `next_due_time` is when the worker has something to do (NULL: waiting for a person, or done).
 * Times are CPP timestamps (fixed-width text, so they compare as text); JSON documents are text.
 */
export const operationsMigration: Migration = {
  id: 4,
  name: 'operations',
  sql: `
    CREATE TABLE operations (
      id TEXT PRIMARY KEY,
      publisher_id TEXT NOT NULL,
      offer_id TEXT NOT NULL,
      offer_type_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('publish', 'goLive')),
      slot TEXT NOT NULL CHECK (slot IN ('staging', 'production')),
      state TEXT NOT NULL,
      publishing_version INTEGER NOT NULL,
      offer_version INTEGER NOT NULL,
      draft_changed_time TEXT NOT NULL,
      previous_preview_version INTEGER,
      migrated INTEGER NOT NULL,
      notification_emails TEXT,
      profile TEXT NOT NULL,
      time_scale DOUBLE PRECISION NOT NULL,
      faults TEXT NOT NULL,
      messages TEXT NOT NULL,
      created_time TEXT NOT NULL,
      changed_time TEXT NOT NULL,
      next_due_time TEXT,
      in_flight_key TEXT,
      lease_owner TEXT,
      lease_until TEXT,
      row_version INTEGER NOT NULL,
      UNIQUE (publisher_id, offer_id, publishing_version, slot),
      FOREIGN KEY (publisher_id, offer_id) REFERENCES offers (publisher_id, id)
    );
    CREATE UNIQUE INDEX operations_in_flight ON operations (in_flight_key);
    CREATE INDEX operations_due ON operations (next_due_time);
    CREATE INDEX operations_by_offer ON operations (publisher_id, offer_id, created_time);

    CREATE TABLE operation_steps (
      operation_id TEXT NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      step_id TEXT NOT NULL,
      status TEXT NOT NULL,
      messages TEXT NOT NULL,
      started_time TEXT,
      due_time TEXT,
      finished_time TEXT,
      PRIMARY KEY (operation_id, position)
    );

    CREATE TABLE operation_outbox (
      operation_id TEXT NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
      sequence INTEGER NOT NULL,
      event TEXT NOT NULL,
      recipients TEXT NOT NULL,
      subject TEXT NOT NULL,
      body TEXT NOT NULL,
      created_time TEXT NOT NULL,
      PRIMARY KEY (operation_id, sequence)
    );

    CREATE TABLE publish_faults (
      publisher_id TEXT NOT NULL,
      offer_id TEXT NOT NULL,
      step_id TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('blocked', 'failed')),
      message TEXT NOT NULL,
      created_time TEXT NOT NULL,
      PRIMARY KEY (publisher_id, offer_id),
      FOREIGN KEY (publisher_id, offer_id) REFERENCES offers (publisher_id, id)
    );
  `,
}
