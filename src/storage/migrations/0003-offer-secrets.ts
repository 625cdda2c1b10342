import type { Migration } from '../migration.ts'

/**
 * The secret-typed values of an offer's definition (lead-destination credentials, see
 * offers/offer-secrets.ts), kept apart from the definition and sealed with the master key: one
 * opaque value per draft and per published version, NULL when the offer has none.
 */
export const offerSecretsMigration: Migration = {
  id: 3,
  name: 'offer-secrets',
  sql: `
    ALTER TABLE offers ADD COLUMN sealed_secrets TEXT;
    ALTER TABLE offer_versions ADD COLUMN sealed_secrets TEXT;
  `,
}
