import { type Dialect, largeTextColumn, type SqlValue, textOf } from '../storage/database.ts'
import { definitionText } from './definition-json.ts'
import type { Offer, OfferDefinition, OfferStatus, OfferSummary, OfferVersion } from './offer.ts'
import type { OfferStamp } from './offers.store.ts'

/*
 * Rows of the offers tables (migrations 0001-0005) and their mapping to the domain, for
 * offers.store.sql.ts.
 */

export const LIST_COLUMNS = 'id, offer_type_id, status, version, display_text, changed_time'

/** The columns of an OfferRow, of the table named `alias` in the statement when given. */
export function offerColumns(dialect: Dialect, alias?: string): string {
  const columns = `${LIST_COLUMNS}, publisher_id, definition, envelope_extras, sealed_secrets`.split(', ')
  return columns
    .map((column) => {
      const qualified = alias === undefined ? column : `${alias}.${column}`
      return column === 'definition' ? largeTextColumn(dialect, qualified) : qualified
    })
    .join(', ')
}

/** A row of a list: the publisher is the one asked for, not read 50 or 10,000 times. */
export interface ListRow {
  id: string
  offer_type_id: string
  status: OfferStatus
  version: number
  display_text: string
  changed_time: string
}

export interface OfferRow extends ListRow {
  publisher_id: string
  /** Selected with largeTextColumn: bytes on SQLite. */
  definition: string | Uint8Array
  envelope_extras: string
  sealed_secrets: string | null
}

export interface StampRow {
  changed_time: string
  status: OfferStatus
  version: number
  revision: number
}

export interface OfferVersionRow {
  publisher_id: string
  offer_id: string
  version: number
  offer_type_id: string
  /** Selected with largeTextColumn: bytes on SQLite. */
  definition: string | Uint8Array
  envelope_extras: string
  created_time: string
  sealed_secrets: string | null
}

export function toSummary(row: ListRow, publisherId: string): OfferSummary {
  return {
    offerTypeId: row.offer_type_id,
    publisherId,
    status: row.status,
    id: row.id,
    version: Number(row.version),
    definition: { displayText: row.display_text },
    changedTime: row.changed_time,
  }
}

export function toStamp(row: StampRow): OfferStamp {
  return {
    changedTime: row.changed_time,
    status: row.status,
    version: Number(row.version),
    revision: Number(row.revision),
  }
}

export function toOffer(row: OfferRow): Offer {
  return {
    publisherId: row.publisher_id,
    id: row.id,
    offerTypeId: row.offer_type_id,
    status: row.status,
    version: Number(row.version),
    definition: JSON.parse(textOf(row.definition)) as OfferDefinition,
    extras: JSON.parse(row.envelope_extras) as Record<string, unknown>,
    changedTime: row.changed_time,
    ...(row.sealed_secrets === null ? {} : { sealedSecrets: row.sealed_secrets }),
  }
}

/** The columns an offer row is inserted with: offerValues' then created_time. */
export const OFFER_INSERT_COLUMNS = [
  'publisher_id',
  'id',
  'offer_type_id',
  'status',
  'version',
  'display_text',
  'definition',
  'envelope_extras',
  'sealed_secrets',
  'changed_time',
  'created_time',
] as const

/** The values of an offer row in OFFER_INSERT_COLUMNS order, up to sealed_secrets and changed_time. */
export function offerValues(offer: Offer): SqlValue[] {
  return [
    offer.publisherId,
    offer.id,
    offer.offerTypeId,
    offer.status,
    offer.version,
    offer.definition.displayText,
    definitionText(offer.definition),
    JSON.stringify(offer.extras),
    offer.sealedSecrets ?? null,
    offer.changedTime,
  ]
}

export function toOfferVersion(row: OfferVersionRow): OfferVersion {
  return {
    publisherId: row.publisher_id,
    offerId: row.offer_id,
    version: Number(row.version),
    offerTypeId: row.offer_type_id,
    definition: JSON.parse(textOf(row.definition)) as OfferDefinition,
    extras: JSON.parse(row.envelope_extras) as Record<string, unknown>,
    createdTime: row.created_time,
    ...(row.sealed_secrets === null ? {} : { sealedSecrets: row.sealed_secrets }),
  }
}
