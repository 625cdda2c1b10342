import type { Publisher } from '../publishers/publisher.ts'
import { insertPublisher } from '../publishers/publishers.store.sql.ts'
import { type Dialect, largeTextColumn, type SqlQueryable, type SqlValue } from '../storage/database.ts'
import { definitionText } from './definition-json.ts'
import type { Offer, OfferFilter, OfferStatus, OfferSummary, OfferVersion, PublishedSlot } from './offer.ts'
import { type OfferPage, type OfferPageQuery, offerPageQueries } from './offer-page.ts'
import {
  LIST_COLUMNS,
  type ListRow,
  OFFER_INSERT_COLUMNS,
  type OfferRow,
  type OfferVersionRow,
  offerColumns,
  offerValues,
  type StampRow,
  toOffer,
  toOfferVersion,
  toStamp,
  toSummary,
} from './offer-rows.ts'
import type { DraftReplacement, NamespaceStamp, OfferStamp, OfferStore } from './offers.store.ts'

const INSERT_COLUMNS = OFFER_INSERT_COLUMNS.join(', ')
const INSERT_PLACEHOLDERS = OFFER_INSERT_COLUMNS.map(() => '?').join(', ')

const versionColumns = (dialect: Dialect) =>
  `v.publisher_id, v.offer_id, v.version, v.offer_type_id, ${largeTextColumn(dialect, 'v.definition')}, v.envelope_extras, v.created_time, v.sealed_secrets`

export class SqlOfferStore implements OfferStore {
  readonly #db: SqlQueryable
  readonly #offerColumns: string
  readonly #versionColumns: string

  constructor(db: SqlQueryable) {
    this.#db = db
    this.#offerColumns = offerColumns(db.dialect)
    this.#versionColumns = versionColumns(db.dialect)
  }

  listOfferSummaries(publisherId: string, filter: OfferFilter): AsyncIterable<OfferSummary> {
    const { sql, params } = summariesQuery(publisherId, filter)
    return mapRows(this.#db.iterate<ListRow>(sql, params), (row) => toSummary(row, publisherId))
  }

  async listFirstOfferSummaries(
    publisherId: string,
    filter: OfferFilter,
    limit: number,
  ): Promise<OfferSummary[]> {
    const { sql, params } = summariesQuery(publisherId, filter)
    const rows = await this.#db.all<ListRow>(`${sql} LIMIT ?`, [...params, limit])
    return rows.map((row) => toSummary(row, publisherId))
  }

  async listOfferPage(publisherId: string, query: OfferPageQuery): Promise<OfferPage> {
    const { where, params, orderBy } = offerPageQueries(publisherId, query)
    // Two reads, not one transaction: SQLite's transactions take the write lock. An offer created
    // between them makes the count one off for one page view, which a person paging never notices.
    const count = await this.#db.get<{ total: number | string }>(
      `SELECT COUNT(*) AS total FROM offers WHERE ${where}`,
      params,
    )
    const rows = await this.#db.all<ListRow>(
      `SELECT ${LIST_COLUMNS} FROM offers WHERE ${where} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
      [...params, query.limit, query.offset],
    )
    return { offers: rows.map((row) => toSummary(row, publisherId)), total: Number(count?.total ?? 0) }
  }

  async findNamespaceStamp(publisherId: string): Promise<NamespaceStamp> {
    // A per-publisher counter row bumped by every write would do the same in one row, but on
    // PostgreSQL every write to a namespace would then queue on that row's lock until it commits.
    const row = await this.#db.get<{ offers: number | string; revisions: number | string }>(
      'SELECT COUNT(*) AS offers, COALESCE(SUM(revision), 0) AS revisions FROM offers WHERE publisher_id = ?',
      [publisherId],
    )
    const offers = Number(row?.offers ?? 0)
    return { value: `${offers}:${row?.revisions ?? 0}`, offers }
  }

  async findOffer(publisherId: string, offerId: string): Promise<Offer | undefined> {
    const row = await this.#db.get<OfferRow>(
      `SELECT ${this.#offerColumns} FROM offers WHERE publisher_id = ? AND id = ?`,
      [publisherId, offerId],
    )
    return row && toOffer(row)
  }

  async findOfferStamp(publisherId: string, offerId: string): Promise<OfferStamp | undefined> {
    const row = await this.#db.get<StampRow>(
      'SELECT changed_time, status, version, revision FROM offers WHERE publisher_id = ? AND id = ?',
      [publisherId, offerId],
    )
    return row && toStamp(row)
  }

  async findSlotStamp(
    publisherId: string,
    offerId: string,
    slot: PublishedSlot,
  ): Promise<{ stamp: OfferStamp; slotVersion: number | undefined } | undefined> {
    const row = await this.#db.get<StampRow & { slot_version: number | null }>(
      `SELECT o.changed_time, o.status, o.version, o.revision, s.version AS slot_version FROM offers o
       LEFT JOIN offer_slots s ON s.publisher_id = o.publisher_id AND s.offer_id = o.id AND s.slot = ?
       WHERE o.publisher_id = ? AND o.id = ?`,
      [slot, publisherId, offerId],
    )
    if (!row) return undefined
    return {
      stamp: toStamp(row),
      slotVersion: row.slot_version === null ? undefined : Number(row.slot_version),
    }
  }

  async findStampedOffer(
    publisherId: string,
    offerId: string,
  ): Promise<{ offer: Offer; stamp: OfferStamp } | undefined> {
    const row = await this.#db.get<OfferRow & { revision: number }>(
      `SELECT ${this.#offerColumns}, revision FROM offers WHERE publisher_id = ? AND id = ?`,
      [publisherId, offerId],
    )
    return row && { offer: toOffer(row), stamp: toStamp(row) }
  }

  async createOffer(offer: Offer, createdTime: string): Promise<boolean> {
    const { changes } = await this.#db.run(
      `INSERT INTO offers (${INSERT_COLUMNS}) VALUES (${INSERT_PLACEHOLDERS})
       ON CONFLICT (publisher_id, id) DO NOTHING`,
      [...offerValues(offer), createdTime],
    )
    return changes === 1
  }

  async replaceDraft(draft: DraftReplacement, expectedChangedTime: string): Promise<boolean> {
    const { changes } = await this.#db.run(
      `UPDATE offers SET display_text = ?, definition = ?, envelope_extras = ?, sealed_secrets = ?,
         changed_time = ?, revision = revision + 1
       WHERE publisher_id = ? AND id = ? AND changed_time = ?`,
      [
        draft.definition.displayText,
        definitionText(draft.definition),
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
          `INSERT INTO offers (${INSERT_COLUMNS}) VALUES (${INSERT_PLACEHOLDERS})
           ON CONFLICT (publisher_id, id) DO UPDATE SET offer_type_id = excluded.offer_type_id,
             status = excluded.status, version = excluded.version, display_text = excluded.display_text,
             definition = excluded.definition, envelope_extras = excluded.envelope_extras,
             sealed_secrets = excluded.sealed_secrets, changed_time = excluded.changed_time,
             revision = offers.revision + 1`,
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
      `SELECT ${this.#versionColumns} FROM offer_versions v WHERE v.publisher_id = ? AND v.offer_id = ? AND v.version = ?`,
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
      `SELECT ${this.#versionColumns} FROM offer_slots s JOIN offer_versions v
         ON v.publisher_id = s.publisher_id AND v.offer_id = s.offer_id AND v.version = s.version
       WHERE s.publisher_id = ? AND s.offer_id = ? AND s.slot = ?`,
      [publisherId, offerId, slot],
    )
    return row && toOfferVersion(row)
  }

  async snapshotDraft(publisherId: string, offerId: string, createdTime: string): Promise<number> {
    // Two statements, not a read and two writes: on PostgreSQL each is a round trip of a publish.
    return this.#db.transaction(async (tx) => {
      const { changes } = await tx.run(
        `INSERT INTO offer_versions (publisher_id, offer_id, version, offer_type_id, definition, envelope_extras,
           sealed_secrets, created_time)
         SELECT publisher_id, id, version, offer_type_id, definition, envelope_extras, sealed_secrets, ? FROM offers
         WHERE publisher_id = ? AND id = ?`,
        [createdTime, publisherId, offerId],
      )
      if (changes !== 1) throw new Error(`No offer ${publisherId}/${offerId} to snapshot`)
      const row = await tx.get<{ version: number }>(
        `UPDATE offers SET version = version + 1, revision = revision + 1 WHERE publisher_id = ? AND id = ?
         RETURNING version`,
        [publisherId, offerId],
      )
      return Number(row?.version) - 1
    })
  }

  async publishDraft(
    publisherId: string,
    offerId: string,
    draft: { readonly version: number; readonly changedTime: string },
    status: OfferStatus | undefined,
    createdTime: string,
  ): Promise<boolean> {
    // The offer's row written once for the snapshot and the publish's status: each write of it is
    // a new row version in all six of its indexes on PostgreSQL (none of them allows a HOT update).
    return this.#db.transaction(async (tx) => {
      const { changes } = await tx.run(
        `INSERT INTO offer_versions (publisher_id, offer_id, version, offer_type_id, definition, envelope_extras,
           sealed_secrets, created_time)
         SELECT publisher_id, id, version, offer_type_id, definition, envelope_extras, sealed_secrets, ? FROM offers
         WHERE publisher_id = ? AND id = ? AND version = ? AND changed_time = ?`,
        [createdTime, publisherId, offerId, draft.version, draft.changedTime],
      )
      if (changes !== 1) return false
      await tx.run(
        `UPDATE offers SET version = version + 1, status = COALESCE(?, status), revision = revision + 1
         WHERE publisher_id = ? AND id = ?`,
        [status ?? null, publisherId, offerId],
      )
      return true
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
    await this.#db.run(
      'UPDATE offers SET status = ?, revision = revision + 1 WHERE publisher_id = ? AND id = ?',
      [status, publisherId, offerId],
    )
  }
}

/** A publisher's summaries by id; the index offers_list (migration 5) covers every column of it. */
function summariesQuery(publisherId: string, filter: OfferFilter): { sql: string; params: SqlValue[] } {
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
  return {
    sql: `SELECT ${LIST_COLUMNS} FROM offers WHERE ${conditions.join(' AND ')} ORDER BY id`,
    params,
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
