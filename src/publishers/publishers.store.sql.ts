import type { Role } from '../principals/principal.ts'
import { bumpChangeCounter } from '../storage/change-counters.ts'
import type { SqlQueryable } from '../storage/database.ts'
import type { Publisher } from './publisher.ts'
import type { PublisherGrant, PublisherStore } from './publishers.store.ts'

interface PublisherRow {
  id: string
  display_text: string
  seller_id: number | null
  offer_type_categories: string
  version: number
}

type NullableRow<Row> = { [Column in keyof Row]: Row[Column] | null }

const COLUMNS = 'p.id, p.display_text, p.seller_id, p.offer_type_categories, p.version'

export class SqlPublisherStore implements PublisherStore {
  readonly #db: SqlQueryable

  constructor(db: SqlQueryable) {
    this.#db = db
  }

  async findPublisher(id: string): Promise<Publisher | undefined> {
    const row = await this.#db.get<PublisherRow>(`SELECT ${COLUMNS} FROM publishers p WHERE p.id = ?`, [id])
    return row && toPublisher(row)
  }

  async findGrantedPublisher(principalId: string, publisherId: string): Promise<PublisherGrant | undefined> {
    // From the grant, so that no row (no grant) and a row of NULLs (no publisher) stay apart.
    const row = await this.#db.get<{ role: Role } & NullableRow<PublisherRow>>(
      `SELECT g.role, ${COLUMNS} FROM publisher_grants g LEFT JOIN publishers p ON p.id = g.publisher_id
       WHERE g.principal_id = ? AND g.publisher_id = ?`,
      [principalId, publisherId],
    )
    if (!row) return undefined
    return row.id === null
      ? { role: row.role }
      : { role: row.role, publisher: toPublisher(row as PublisherRow) }
  }

  async listPublishersGrantedTo(principalId: string): Promise<Publisher[]> {
    const rows = await this.#db.all<PublisherRow>(
      `SELECT ${COLUMNS} FROM publishers p JOIN publisher_grants g ON g.publisher_id = p.id
       WHERE g.principal_id = ? ORDER BY p.id`,
      [principalId],
    )
    return rows.map(toPublisher)
  }

  async listPublishers(): Promise<Publisher[]> {
    const rows = await this.#db.all<PublisherRow>(`SELECT ${COLUMNS} FROM publishers p ORDER BY p.id`)
    return rows.map(toPublisher)
  }

  async createPublisher(publisher: Publisher, createdTime: string): Promise<boolean> {
    return insertPublisher(this.#db, publisher, createdTime)
  }
}

/** Creates the publisher unless its id is taken; usable inside another store's transaction. */
export async function insertPublisher(
  db: SqlQueryable,
  publisher: Publisher,
  createdTime: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { changes } = await tx.run(
      `INSERT INTO publishers (id, display_text, seller_id, offer_type_categories, version, created_time)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      [
        publisher.id,
        publisher.displayText,
        publisher.sellerId ?? null,
        JSON.stringify(publisher.offerTypeCategories),
        publisher.version,
        createdTime,
      ],
    )
    // A grant made before its namespace existed was cached as a grant on a missing publisher.
    if (changes === 1) await bumpChangeCounter(tx, 'access')
    return changes === 1
  })
}

function toPublisher(row: PublisherRow): Publisher {
  return {
    id: row.id,
    displayText: row.display_text,
    ...(row.seller_id === null ? {} : { sellerId: Number(row.seller_id) }),
    offerTypeCategories: JSON.parse(row.offer_type_categories) as string[],
    version: Number(row.version),
  }
}
