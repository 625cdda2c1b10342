import { randomBytes } from 'node:crypto'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import { SAMPLE_PUBLISHER } from '../../src/bootstrap/samples/sample-publisher.ts'
import { loadConfig } from '../../src/config.ts'
import type { Offer } from '../../src/offers/offer.ts'
import { OFFER_INSERT_COLUMNS, offerValues } from '../../src/offers/offer-rows.ts'
import { createServices } from '../../src/services.ts'
import type { SqlDatabase, SqlQueryable, SqlValue } from '../../src/storage/database.ts'
import { migrate } from '../../src/storage/migration.ts'
import { MIGRATIONS } from '../../src/storage/migrations/index.ts'
import { createSqlStores } from '../../src/stores.ts'
import { formatTimestamp } from '../../src/timestamps.ts'
import { catalogOffer, fullVmOffer, publishableVmOffer } from './offer-fixtures.ts'

export type OfferKind = 'catalog' | 'full-vm' | 'publishable'

export interface PublisherPlan {
  readonly id: string
  readonly offers: number
  readonly kind: OfferKind
}

export interface StorePlan {
  /** Names the cached store; change it when the plan changes. */
  readonly name: string
  readonly publishers: readonly PublisherPlan[]
}

/** Fixed, so that the same plan answers the same bytes on every store and every run. */
const SEED_TIME = formatTimestamp(new Date('2026-11-01T00:00:00.000Z'))
/** Rows per INSERT: 5,500 parameters, within SQLite's and PostgreSQL's limits. */
const BATCH_ROWS = 500

/**
 * Fills an empty database with a plan's publishers and offers, all granted to the development
 * principal, as a store that grew over time: offers go in in a shuffled (seeded, so repeatable)
 * order, so a publisher's rows are spread over the whole table as they would be after years of
 * publishers creating offers side by side, not packed together as a bulk load would leave them.
 * Publishers and grants go through the services, as `cloudpartner` commands create them; offers,
 * by the million, through batched INSERTs of the offer store's own row values, in one transaction.
 */
export async function seedStore(db: SqlDatabase, plan: StorePlan): Promise<number> {
  const migrated = await migrate(db, MIGRATIONS)
  if (migrated.error) throw migrated.error
  if (db.dialect === 'sqlite') {
    // Only this connection, only while seeding: the server opens the file with its own settings.
    await db.exec('PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000')
  }
  const services = createServices({
    stores: createSqlStores(db),
    clock: { now: () => new Date(SEED_TIME) },
    config: loadConfig({}, { 'in-memory': true }),
    // Nothing is sealed: the development principal's secret is hashed, and no offer has secrets.
    masterKey: randomBytes(32),
  })
  // An empty contoso first: the bootstrap then grants it to the development principal and adds no
  // sample offers, so the store holds exactly the plan's offers.
  await services.publishers.create(SAMPLE_PUBLISHER)
  await services.bootstrap.run()
  const developer = await services.principals.findByClientId(
    DEVELOPMENT_CREDENTIALS.tenantId,
    DEVELOPMENT_CREDENTIALS.clientId,
  )
  if (!developer) throw new Error('the development bootstrap created no principal')
  for (const publisher of plan.publishers) {
    await services.publishers.create({
      ...SAMPLE_PUBLISHER,
      id: publisher.id,
      displayText: `Bench ${publisher.id}`,
    })
    await services.principals.grant(developer.id, { publisherId: publisher.id, role: 'Owner' })
  }
  return db.transaction(async (tx) => insertOffers(tx, plan))
}

async function insertOffers(tx: SqlQueryable, plan: StorePlan): Promise<number> {
  const order = shuffledOfferOrder(plan)
  let values: SqlValue[] = []
  let rows = 0
  const flush = async () => {
    const tuple = `(${OFFER_INSERT_COLUMNS.map(() => '?').join(', ')})`
    await tx.run(
      `INSERT INTO offers (${OFFER_INSERT_COLUMNS.join(', ')}) VALUES ${Array(rows).fill(tuple).join(', ')}`,
      values,
    )
    values = []
    rows = 0
  }
  for (let position = 0; position < order.publisher.length; position += 1) {
    const publisher = plan.publishers[order.publisher[position] as number] as PublisherPlan
    values.push(...offerValues(makeOffer(publisher, order.offer[position] as number)), SEED_TIME)
    rows += 1
    if (rows === BATCH_ROWS) await flush()
  }
  if (rows > 0) await flush()
  return order.publisher.length
}

function makeOffer(publisher: PublisherPlan, index: number): Offer {
  const id = `offer-${String(index).padStart(6, '0')}`
  switch (publisher.kind) {
    case 'catalog':
      return catalogOffer(publisher.id, index, SEED_TIME)
    case 'full-vm':
      return fullVmOffer(publisher.id, id, SEED_TIME)
    case 'publishable':
      return publishableVmOffer(publisher.id, id, SEED_TIME)
  }
}

/** Every (publisher, offer) pair of the plan, in a Fisher–Yates order drawn from a fixed seed. */
function shuffledOfferOrder(plan: StorePlan): { publisher: Int32Array; offer: Int32Array } {
  const total = plan.publishers.reduce((sum, publisher) => sum + publisher.offers, 0)
  const publisher = new Int32Array(total)
  const offer = new Int32Array(total)
  let position = 0
  plan.publishers.forEach((entry, publisherIndex) => {
    for (let index = 0; index < entry.offers; index += 1) {
      publisher[position] = publisherIndex
      offer[position] = index
      position += 1
    }
  })
  const random = mulberry32(20261101)
  for (let i = total - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1))
    ;[publisher[i], publisher[j]] = [publisher[j] as number, publisher[i] as number]
    ;[offer[i], offer[j]] = [offer[j] as number, offer[i] as number]
  }
  return { publisher, offer }
}

/** A small seeded PRNG: the same store on every machine and every run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
