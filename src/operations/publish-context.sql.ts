import { type OfferRow, offerColumns, toOffer } from '../offers/offer-rows.ts'
import type { Dialect, SqlQueryable } from '../storage/database.ts'
import type { Operation, PlannedFault } from './operation.ts'
import { inFlightKey } from './operation-rows.ts'
import type { PublishContext } from './operations.store.ts'

/**
 * The read of OperationStore.findPublishContext. A publish used to read the offer, the operation in
 * flight, the planned failure, the Preview slot and the highest submission counter one statement
 * each: on PostgreSQL five round trips before it could decide anything. The operation in flight is
 * only named here (its steps are rows of their own, and the offer's 20 KB definition is not to be
 * repeated beside each); when there is one, which a pipeline's publish of a new draft never has,
 * the caller reads it.
 */
interface PublishContextRow extends OfferRow {
  in_flight_id: string | null
  latest_publishing_version: number | string | null
  preview_version: number | string | null
  fault_step_id: string | null
  fault_outcome: PlannedFault['outcome'] | null
  fault_message: string | null
}

function statement(dialect: Dialect): string {
  return `SELECT ${offerColumns(dialect, 'f')},
      (SELECT id FROM operations WHERE in_flight_key = ?) AS in_flight_id,
      (SELECT MAX(publishing_version) FROM operations o
        WHERE o.publisher_id = f.publisher_id AND o.offer_id = f.id) AS latest_publishing_version,
      (SELECT version FROM offer_slots s
        WHERE s.publisher_id = f.publisher_id AND s.offer_id = f.id AND s.slot = 'preview') AS preview_version,
      p.step_id AS fault_step_id, p.outcome AS fault_outcome, p.message AS fault_message
    FROM offers f LEFT JOIN publish_faults p ON p.publisher_id = f.publisher_id AND p.offer_id = f.id
    WHERE f.publisher_id = ? AND f.id = ?`
}

const STATEMENTS: Record<Dialect, string> = { sqlite: statement('sqlite'), postgres: statement('postgres') }

export async function readPublishContext(
  db: SqlQueryable,
  publisherId: string,
  offerId: string,
  findInFlight: () => Promise<Operation | undefined>,
): Promise<PublishContext | undefined> {
  const row = await db.get<PublishContextRow>(STATEMENTS[db.dialect], [
    inFlightKey(publisherId, offerId),
    publisherId,
    offerId,
  ])
  if (!row) return undefined
  const inFlight = row.in_flight_id === null ? undefined : await findInFlight()
  return {
    offer: toOffer(row),
    ...(inFlight === undefined ? {} : { inFlight }),
    ...(row.fault_step_id === null || row.fault_outcome === null || row.fault_message === null
      ? {}
      : {
          nextPublishFault: {
            stepId: row.fault_step_id,
            outcome: row.fault_outcome,
            messages: JSON.parse(row.fault_message) as string[],
          },
        }),
    ...(row.preview_version === null ? {} : { previewVersion: Number(row.preview_version) }),
    nextPublishingVersion: Number(row.latest_publishing_version ?? 0) + 1,
  }
}
