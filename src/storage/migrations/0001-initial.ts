import type { Migration } from '../migration.ts'

/**
 * Publishers, their offers (draft and summary columns), principals with their grants, and the
 * token service's signing keys. Portable SQL: it runs unchanged on SQLite and PostgreSQL.
 * Times are CPP timestamps (text, seven fractional digits), JSON documents are text.
 */
export const initialMigration: Migration = {
  id: 1,
  name: 'initial',
  sql: `
    CREATE TABLE settings (
      name TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );

    CREATE TABLE publishers (
      id TEXT PRIMARY KEY,
      display_text TEXT NOT NULL,
      seller_id INTEGER,
      offer_type_categories TEXT NOT NULL,
      version INTEGER NOT NULL,
      created_time TEXT NOT NULL
    );

    -- The list endpoint reads only the summary columns; the full definition is read one offer at a time.
    CREATE TABLE offers (
      publisher_id TEXT NOT NULL REFERENCES publishers (id),
      id TEXT NOT NULL,
      offer_type_id TEXT NOT NULL,
      status TEXT NOT NULL,
      version INTEGER NOT NULL,
      display_text TEXT NOT NULL,
      definition TEXT NOT NULL,
      envelope_extras TEXT NOT NULL,
      changed_time TEXT NOT NULL,
      created_time TEXT NOT NULL,
      PRIMARY KEY (publisher_id, id)
    );
    CREATE INDEX offers_by_type ON offers (publisher_id, offer_type_id);

    CREATE TABLE principals (
      id TEXT PRIMARY KEY,
      tenant_id TEXT NOT NULL,
      client_id TEXT NOT NULL,
      object_id TEXT NOT NULL,
      display_name TEXT NOT NULL,
      secret_hash TEXT,
      created_time TEXT NOT NULL,
      UNIQUE (tenant_id, client_id),
      UNIQUE (tenant_id, object_id)
    );

    -- No foreign key to publishers: a grant may be made before its namespace exists, and until then
    -- the grantee is the only principal told that the namespace is missing (404, not 403).
    CREATE TABLE publisher_grants (
      principal_id TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
      publisher_id TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('Owner', 'Contributor')),
      created_time TEXT NOT NULL,
      PRIMARY KEY (principal_id, publisher_id)
    );

    CREATE TABLE signing_keys (
      kid TEXT PRIMARY KEY,
      public_jwk TEXT NOT NULL,
      sealed_private_jwk TEXT NOT NULL,
      created_time TEXT NOT NULL,
      retired_time TEXT
    );
  `,
}
