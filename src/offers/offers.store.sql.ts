import type { Publisher } from '../publishers/publisher.ts'
import { insertPublisher } from '../publishers/publishers.store.sql.ts'
import type { SqlQueryable, SqlValue } from '../storage/database.ts'
import type {
  Offer,
  OfferDefinition,
  OfferFilter,
  OfferStatus,
  OfferSummary,
  OfferVersion,
  PublishedSlot,
} from './offer.ts'
import type { DraftReplacement, OfferStore } from './offers.store.ts'

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
  sealed_secrets: string | null
}

interface OfferVersionRow {
  publisher_id: string
  offer_id: string
  version: number
  offer_type_id: string
  definition: string
  envelope_extras: string
  created_time: string
  sealed_secrets: string | null
}

const VERSION_COLUMNS =
  'v.publisher_id, v.offer_id, v.version, v.offer_type_id, v.definition, v.envelope_extras, v.created_time, v.sealed_secrets'

const SUMMARY_COLUMNS = 'id, publisher_id, offer_type_id, status, version, display_text, changed_time'

export class SqlOfferStore implements OfferStore {
  readonly #db: SqlQueryable

  constructor(db: SqlQueryable) {
    this.#db = db
  }

  listOfferSummaries(publisherId: string, filter: OfferFilter): AsyncIterable<OfferSummary> {
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
    return mapRows(this.#db.iterate<OfferSummaryRow>(sql, params), toSummary)
  }

  async findOffer(publisherId: string, offerId: string): Promise<Offer | undefined> {
    const row = await this.#db.get<OfferRow>(
      `SELECT ${SUMMARY_COLUMNS}, definition, envelope_extras, sealed_secrets FROM offers
       WHERE publisher_id = ? AND id = ?`,
      [publisherId, offerId],
    )
    return row && toOffer(row)
  }

  async createOffer(offer: Offer, createdTime: string): Promise<boolean> {
    const { changes } = await this.#db.run(
      `INSERT INTO offers (publisher_id, id, offer_type_id, status, version, display_text, definition,
         envelope_extras, sealed_secrets, changed_time, created_time)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (publisher_id, id) DO NOTHING`,
      [...offerValues(offer), createdTime],
    )
    return changes === 1
  }

  async replaceDraft(draft: DraftReplacement, expectedChangedTime: string): Promise<boolean> {
    const { changes } = await this.#db.run(
      `UPDATE offers SET display_text = ?, definition = ?, envelope_extras = ?, sealed_secrets = ?,
         changed_time = ?
       WHERE publisher_id = ? AND id = ? AND changed_time = ?`,
      [
        draft.definition.displayText,
        JSON.stringify(draft.definition),
        JSON.stringify(draft.extras),
        draft.sealedSecrets ?? null,
        draft.changedTime,
        draft.publisherId,
        draft.id,
        expectedChangedTime,
      ],
    )
    return changes === 1
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
             envelope_extras, sealed_secrets, changed_time, created_time)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (publisher_id, id) DO UPDATE SET offer_type_id = excluded.offer_type_id,
             status = excluded.status, version = excluded.version, display_text = excluded.display_text,
             definition = excluded.definition, envelope_extras = excluded.envelope_extras,
             sealed_secrets = excluded.sealed_secrets, changed_time = excluded.changed_time`,
          [...offerValues(offer), createdTime],
        )
      }
    })
  }

  async findVersion(
    publisherId: string,
    offerId: string,
    version: number,
  ): Promise<OfferVersion | undefined> {
    const row = await this.#db.get<OfferVersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM offer_versions v WHERE v.publisher_id = ? AND v.offer_id = ? AND v.version = ?`,
      [publisherId, offerId, version],
    )
    return row && toOfferVersion(row)
  }

  async findSlot(
    publisherId: string,
    offerId: string,
    slot: PublishedSlot,
  ): Promise<OfferVersion | undefined> {
    const row = await this.#db.get<OfferVersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM offer_slots s JOIN offer_versions v
         ON v.publisher_id = s.publisher_id AND v.offer_id = s.offer_id AND v.version = s.version
       WHERE s.publisher_id = ? AND s.offer_id = ? AND s.slot = ?`,
      [publisherId, offerId, slot],
    )
    return row && toOfferVersion(row)
  }

  async snapshotDraft(publisherId: string, offerId: string, createdTime: string): Promise<number> {
    return this.#db.transaction(async (tx) => {
      const row = await tx.get<{ version: number }>(
        'SELECT version FROM offers WHERE publisher_id = ? AND id = ?',
        [publisherId, offerId],
      )
      if (!row) throw new Error(`No offer ${publisherId}/${offerId} to snapshot`)
      const version = Number(row.version)
      await tx.run(
        `INSERT INTO offer_versions (publisher_id, offer_id, version, offer_type_id, definition, envelope_extras,
           sealed_secrets, created_time)
         SELECT publisher_id, id, version, offer_type_id, definition, envelope_extras, sealed_secrets, ? FROM offers
         WHERE publisher_id = ? AND id = ?`,
        [createdTime, publisherId, offerId],
      )
      await tx.run('UPDATE offers SET version = version + 1 WHERE publisher_id = ? AND id = ?', [
        publisherId,
        offerId,
      ])
      return version
    })
  }

  async setSlot(
    publisherId: string,
    offerId: string,
    slot: PublishedSlot,
    version: number | undefined,
    changedTime: string,
  ): Promise<void> {
    if (version === undefined) {
      await this.#db.run('DELETE FROM offer_slots WHERE publisher_id = ? AND offer_id = ? AND slot = ?', [
        publisherId,
        offerId,
        slot,
      ])
      return
    }
    await this.#db.run(
      `INSERT INTO offer_slots (publisher_id, offer_id, slot, version, changed_time) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (publisher_id, offer_id, slot) DO UPDATE SET version = excluded.version, changed_time = excluded.changed_time`,
      [publisherId, offerId, slot, version, changedTime],
    )
  }

  async setStatus(publisherId: string, offerId: string, status: OfferStatus): Promise<void> {
    await this.#db.run('UPDATE offers SET status = ? WHERE publisher_id = ? AND id = ?', [
      status,
      publisherId,
      offerId,
    ])
  }
}

/**
 * Maps rows as they come. An async generator here cost a promise chain per row on the busiest path
 * of all, listing a namespace (docs/performance.md).
 */
function mapRows<Row, Item>(rows: AsyncIterable<Row>, map: (row: Row) => Item): AsyncIterable<Item> {
  return {
    [Symbol.asyncIterator]: () => {
      const source = rows[Symbol.asyncIterator]()
      const mapped = (result: IteratorResult<Row>): IteratorResult<Item> =>
        result.done ? { done: true, value: undefined } : { done: false, value: map(result.value) }
      return {
        next: () => source.next().then(mapped),
        return: async () => {
          await source.return?.()
          return { done: true, value: undefined }
        },
      }
    },
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
    ...(row.sealed_secrets === null ? {} : { sealedSecrets: row.sealed_secrets }),
  }
}

/** The columns of an offer row in INSERT order, up to sealed_secrets and changed_time. */
function offerValues(offer: Offer): SqlValue[] {
  return [
    offer.publisherId,
    offer.id,
    offer.offerTypeId,
    offer.status,
    offer.version,
    offer.definition.displayText,
    JSON.stringify(offer.definition),
    JSON.stringify(offer.extras),
    offer.sealedSecrets ?? null,
    offer.changedTime,
  ]
}

function toOfferVersion(row: OfferVersionRow): OfferVersion {
  return {
    publisherId: row.publisher_id,
    offerId: row.offer_id,
    version: Number(row.version),
    offerTypeId: row.offer_type_id,
    definition: JSON.parse(row.definition) as OfferDefinition,
    extras: JSON.parse(row.envelope_extras) as Record<string, unknown>,
    createdTime: row.created_time,
    ...(row.sealed_secrets === null ? {} : { sealedSecrets: row.sealed_secrets }),
  }
}
