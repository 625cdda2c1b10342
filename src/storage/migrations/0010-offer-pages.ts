import type { Migration } from '../migration.ts'

/**
 * The portal's offer table (offers.store.sql.ts listOfferPage) sorts a publisher's offers by the
 * time they changed, by title (without regard to case) or by status, and filters by status; these
 * indexes answer the first page of each from an index walk instead of a sort of the whole
 * namespace. Each ends with the id, the tie-breaker of every sort. Indexes on an expression
 * (LOWER) are the same SQL in SQLite (3.9+) and PostgreSQL. (By type: offers_by_type, migration 1.)
 */
export const offerPagesMigration: Migration = {
  id: 10,
  name: 'offer-pages',
  sql: `
    CREATE INDEX offers_by_changed ON offers (publisher_id, changed_time, id);
    CREATE INDEX offers_by_title ON offers (publisher_id, LOWER(display_text), id);
    CREATE INDEX offers_by_status ON offers (publisher_id, status, id);
  `,
}
