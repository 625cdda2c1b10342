import type { Migration } from '../migration.ts'

/**
 * Store-wide change counters (storage/change-counters.ts), each a row incremented in the same
 * transaction as the writes it counts. `access` counts writes to principals, grants and
 * publishers: every replica caches who a token is and what it may reach (auth/access-cache.ts),
 * and reads this one row per request to know whether what it cached still holds, so that a grant
 * revoked or a principal deleted from any process is refused on the very next request.
 *
 * A counter is created by its first increment (an upsert), so a new store holds no row and can
 * still be the target of `cloudpartner migrate-to-postgres`, which copies only into empty tables. BIGINT:
 * PostgreSQL's INTEGER would stop every write to principals after 2^31 of them.
 */
export const changeCountersMigration: Migration = {
  id: 8,
  name: 'change-counters',
  sql: `
    CREATE TABLE change_counters (
      name TEXT PRIMARY KEY,
      value BIGINT NOT NULL
    );
  `,
}
