import type { Publisher } from '../publishers/publisher.ts'
import { insertPublisher } from '../publishers/publishers.store.sql.ts'
import type { SqlDatabase, SqlValue } from '../storage/database.ts'
import type { Offer, OfferDefinition, OfferFilter, OfferStatus, OfferSummary } from './offer.ts'
import type { OfferStore } from './offers.store.ts'

interface OfferSummaryRow {
  id: string
  publisher_id: string
  offer_type_id: string
  status: OfferStatus
  version: number
  display_text: string
  changed_time: string
}

interface OfferRow extends OfferSummaryRow {
  definition: string
  envelope_extras: string
}

const SUMMARY_COLUMNS = 'id, publisher_id, offer_type_id, status, version, display_text, changed_time'

export class SqlOfferStore implements OfferStore {
  readonly #db: SqlDatabase

  constructor(db: SqlDatabase) {
    this.#db = db
  }

  async *listOfferSummaries(publisherId: string, filter: OfferFilter): AsyncIterable<OfferSummary> {
    const conditions = ['publisher_id = ?']
    const params: SqlValue[] = [publisherId]
    if (filter.offerTypeId !== undefined) {
      conditions.push('offer_type_id = ?')
      params.push(filter.offerTypeId)
    }
    if (filter.status !== undefined) {
      conditions.push('status = ?')
      params.push(filter.status)
    }
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM offers WHERE ${conditions.join(' AND ')} ORDER BY id`
    for await (const row of this.#db.iterate<OfferSummaryRow>(sql, params)) yield toSummary(row)
  }

  async findOffer(publisherId: string, offerId: string): Promise<Offer | undefined> {
    const row = await this.#db.get<OfferRow>(
      `SELECT ${SUMMARY_COLUMNS}, definition, envelope_extras FROM offers WHERE publisher_id = ? AND id = ?`,
      [publisherId, offerId],
    )
    return row && toOffer(row)
  }

  async importOffers(
    offers: readonly Offer[],
    createdTime: string,
    publishers: readonly Publisher[] = [],
  ): Promise<void> {
    await this.#db.transaction(async (tx) => {
      for (const publisher of publishers) {
        await insertPublisher(tx, publisher, createdTime)
      }
      for (const offer of offers) {
        await tx.run(
          `INSERT INTO offers (publisher_id, id, offer_type_id, status, version, display_text, definition,
             envelope_extras, changed_time, created_time)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (publisher_id, id) DO UPDATE SET offer_type_id = excluded.offer_type_id,
             status = excluded.status, version = excluded.version, display_text = excluded.display_text,
             definition = excluded.definition, envelope_extras = excluded.envelope_extras,
             changed_time = excluded.changed_time`,
          [
            offer.publisherId,
            offer.id,
            offer.offerTypeId,
            offer.status,
            offer.version,
            offer.definition.displayText,
            JSON.stringify(offer.definition),
            JSON.stringify(offer.extras),
            offer.changedTime,
            createdTime,
          ],
        )
      }
    })
  }
}

function toSummary(row: OfferSummaryRow): OfferSummary {
  return {
    offerTypeId: row.offer_type_id,
    publisherId: row.publisher_id,
    status: row.status,
    id: row.id,
    version: Number(row.version),
    definition: { displayText: row.display_text },
    changedTime: row.changed_time,
  }
}

function toOffer(row: OfferRow): Offer {
  return {
    publisherId: row.publisher_id,
    id: row.id,
    offerTypeId: row.offer_type_id,
    status: row.status,
    version: Number(row.version),
    definition: JSON.parse(row.definition) as OfferDefinition,
    extras: JSON.parse(row.envelope_extras) as Record<string, unknown>,
    changedTime: row.changed_time,
  }
}
