import type { Migration } from '../migration.ts'

/**
 * Certificate credentials (token-service/client-assertion.ts):
 *
 * - `principal_certificates`: the certificates registered on a principal, as Azure AD keeps an app's
 *   keyCredentials: the public certificate (PEM) and its SHA-1 and SHA-256 thumbprints, by which an
 *   assertion's `x5t` / `x5t#S256` header names it. Never a private key.
 * - `client_assertion_jtis`: the `jti` of every assertion accepted, until the assertion expires, so
 *   that one is accepted once, by whichever replica sees it first (the primary key settles the race).
 *   `expires_at` is Unix seconds; BIGINT because Azure AD sets no upper bound on `exp`.
 */
export const clientCertificatesMigration: Migration = {
  id: 6,
  name: 'client-certificates',
  sql: `
    CREATE TABLE principal_certificates (
      principal_id TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
      thumbprint_sha256 TEXT NOT NULL,
      thumbprint_sha1 TEXT NOT NULL,
      certificate TEXT NOT NULL,
      not_before TEXT NOT NULL,
      not_after TEXT NOT NULL,
      created_time TEXT NOT NULL,
      PRIMARY KEY (principal_id, thumbprint_sha256)
    );

    CREATE TABLE client_assertion_jtis (
      client_id TEXT NOT NULL,
      jti TEXT NOT NULL,
      expires_at BIGINT NOT NULL,
      PRIMARY KEY (client_id, jti)
    );
    CREATE INDEX client_assertion_jtis_by_expiry ON client_assertion_jtis (expires_at);
  `,
}
