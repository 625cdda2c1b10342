import type { OfferStatus } from '../offers/offer.ts'
import type { SqlQueryable, SqlValue } from '../storage/database.ts'
import type { Operation, OperationStep } from './operation.ts'
import {
  inFlightKey,
  OPERATION_COLUMNS,
  type OperationRow,
  type StepRow,
  toOperation,
  toStep,
} from './operation-rows.ts'

/*
 * The reads of operations with their steps, for operations.store.sql.ts: always one statement for
 * an operation and its steps, so that both come from one snapshot.
 */

/** The operation's columns in the joined read (named, not `o.*`: see postgres-database.ts). */
const JOINED_COLUMNS = OPERATION_COLUMNS.split(',')
  .map((column) => `o.${column.trim()}`)
  .join(', ')

/** Newest first; a go-live sorts before the publish it follows when both were created at once. */
export const NEWEST_FIRST = 'created_time DESC, publishing_version DESC, slot ASC'

/**
 * The operations and their steps in ONE statement, so that both come from one snapshot. Read in
 * two, a transition committed between them (another worker's, under PostgreSQL's read committed,
 * or on SQLite's reader connection) gave an operation of one version with the steps of the next:
 * a running operation without a running step, on which the worker's tick crashed.
 */
export async function readOperations(
  db: SqlQueryable,
  where: string,
  params: readonly SqlValue[],
  order = 'id',
): Promise<Operation[]> {
  const rows = await db.all<OperationRow & StepColumns>(
    `WITH o AS (SELECT ${OPERATION_COLUMNS} FROM operations ${where})
       SELECT ${JOINED_COLUMNS}, ${STEP_COLUMNS}
       FROM o LEFT JOIN operation_steps s ON s.operation_id = o.id
       ORDER BY ${order}, s.position`,
    params,
  )
  return operationsOf(rows)
}

/** OperationStore.findOfferOperation. */
export async function readOfferOperation(
  db: SqlQueryable,
  publisherId: string,
  offerId: string,
  which: 'inFlight' | 'latest',
): Promise<{ offerStatus: OfferStatus; operation?: Operation } | undefined> {
  // As findInFlight, or the first of listOperations, with the offer's row joined in front: the
  // offer's status comes with it, and no row at all says there is no such offer.
  const [chosen, params]: [string, SqlValue[]] =
    which === 'inFlight'
      ? ['WHERE in_flight_key = ?', [inFlightKey(publisherId, offerId)]]
      : [`WHERE publisher_id = ? AND offer_id = ? ORDER BY ${NEWEST_FIRST} LIMIT 1`, [publisherId, offerId]]
  const rows = await db.all<OperationRow & StepColumns & { offer_status: OfferStatus }>(
    `WITH o AS (SELECT ${OPERATION_COLUMNS} FROM operations ${chosen})
     SELECT f.status AS offer_status, ${JOINED_COLUMNS}, ${STEP_COLUMNS}
     FROM offers f LEFT JOIN o ON o.publisher_id = f.publisher_id AND o.offer_id = f.id
       LEFT JOIN operation_steps s ON s.operation_id = o.id
     WHERE f.publisher_id = ? AND f.id = ?
     ORDER BY s.position`,
    [...params, publisherId, offerId],
  )
  const [first] = rows
  if (!first) return undefined
  const [operation] = operationsOf(rows)
  return operation ? { offerStatus: first.offer_status, operation } : { offerStatus: first.offer_status }
}

const STEP_COLUMNS = `s.position AS s_position, s.step_id AS s_step_id, s.status AS s_status, s.messages AS s_messages,
  s.started_time AS s_started_time, s.due_time AS s_due_time, s.finished_time AS s_finished_time`

/** Rows of the joined read, one per step, as operations; a row without an operation is skipped. */
function operationsOf(rows: readonly (OperationRow & StepColumns)[]): Operation[] {
  const operations = new Map<string, { row: OperationRow; steps: OperationStep[] }>()
  for (const row of rows) {
    if (row.id === null) continue
    let entry = operations.get(row.id)
    if (!entry) {
      entry = { row, steps: [] }
      operations.set(row.id, entry)
    }
    if (row.s_position !== null) entry.steps.push(toStep(stepRowOf(row)))
  }
  return [...operations.values()].map(({ row, steps }) => toOperation(row, steps))
}

/** The step columns of the joined read, prefixed so that none shadows an operation's column. */
interface StepColumns {
  s_position: number | null
  s_step_id: string
  s_status: StepRow['status']
  s_messages: string
  s_started_time: string | null
  s_due_time: string | null
  s_finished_time: string | null
}

function stepRowOf(row: OperationRow & StepColumns): StepRow {
  return {
    operation_id: row.id,
    position: Number(row.s_position),
    step_id: row.s_step_id,
    status: row.s_status,
    messages: row.s_messages,
    started_time: row.s_started_time,
    due_time: row.s_due_time,
    finished_time: row.s_finished_time,
  }
}
