import type { SqlQueryable } from '../storage/database.ts'
import type { Publisher } from './publisher.ts'
import type { PublisherStore } from './publishers.store.ts'

interface PublisherRow {
  id: string
  display_text: string
  seller_id: number | null
  offer_type_categories: string
  version: number
}

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
  const { changes } = await db.run(
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
  return changes === 1
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
