import type { Migration } from '../migration.ts'

/**
 * Published snapshots of offers and the slots that point at them. A publish copies the draft (the
 * `offers` row) into `offer_versions` at the offer's current version and increments the offer's
 * version; `offer_slots` says which snapshot is in Preview and which in Production. Draft is the
 * `offers` row itself, so it has no slot row.
 */
export const offerVersionsAndSlotsMigration: Migration = {
  id: 2,
  name: 'offer-versions-and-slots',
  sql: `
    CREATE TABLE offer_versions (
      publisher_id TEXT NOT NULL,
      offer_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      offer_type_id TEXT NOT NULL,
      definition TEXT NOT NULL,
      envelope_extras TEXT NOT NULL,
      created_time TEXT NOT NULL,
      PRIMARY KEY (publisher_id, offer_id, version),
      FOREIGN KEY (publisher_id, offer_id) REFERENCES offers (publisher_id, id)
    );

    CREATE TABLE offer_slots (
      publisher_id TEXT NOT NULL,
      offer_id TEXT NOT NULL,
      slot TEXT NOT NULL CHECK (slot IN ('preview', 'production')),
      version INTEGER NOT NULL,
      changed_time TEXT NOT NULL,
      PRIMARY KEY (publisher_id, offer_id, slot),
      FOREIGN KEY (publisher_id, offer_id, version) REFERENCES offer_versions (publisher_id, offer_id, version)
    );
  `,
}
