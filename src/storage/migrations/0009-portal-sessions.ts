import type { Migration } from '../migration.ts'

/**
 * The portal's sign-in sessions (src/portal/sessions/), kept in the store so that every replica
 * knows them and a restart signs nobody out. The key is the SHA-256 of the session id: the id
 * itself lives only in the browser's cookie, so a copy of the database opens no session. A
 * principal's sessions go with it (ON DELETE CASCADE), and expired ones are pruned by time.
 */
export const portalSessionsMigration: Migration = {
  id: 9,
  name: 'portal-sessions',
  sql: `
    CREATE TABLE portal_sessions (
      id_hash TEXT PRIMARY KEY,
      principal_id TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
      created_time TEXT NOT NULL,
      expires_time TEXT NOT NULL
    );
    CREATE INDEX portal_sessions_by_principal ON portal_sessions (principal_id);
    CREATE INDEX portal_sessions_by_expiry ON portal_sessions (expires_time);
  `,
}
