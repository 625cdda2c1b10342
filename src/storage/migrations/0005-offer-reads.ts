import type { Migration } from '../migration.ts'

/**
 * Two things the read paths need (docs/performance.md):
 *
 * - `revision`, incremented by every write of an offer's row (draft, status, version, import). With
 *   changed_time, status and version it says whether an answer rendered earlier, by this replica,
 *   is still the offer's (offers/offer-answer-cache.ts): changed_time alone cannot, because an
 *   import may restore a changed_time with other content and publishing changes status and version
 *   but not changed_time. Existing rows start at 0.
 * - `offers_list`, the list query's columns in its order (offers.store.sql.ts): a namespace is
 *   listed from the index alone (SQLite: USING COVERING INDEX; PostgreSQL: Index Only Scan once
 *   vacuumed) instead of visiting one table page per offer beside its 20 KB definition. The
 *   10,000-offer list of the 1,000,000-offer store went from 29.7 to 9.3 ms in SQLite. PostgreSQL
 *   also answers the stamp of a single offer (findOfferStamp) from it; SQLite takes the primary
 *   key there, 0.3 µs slower.
 */
export const offerReadsMigration: Migration = {
  id: 5,
  name: 'offer-reads',
  sql: `
    ALTER TABLE offers ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX offers_list ON offers
      (publisher_id, id, offer_type_id, status, version, display_text, changed_time, revision);
  `,
}
