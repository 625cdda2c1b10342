import type { OfferStatus } from '../offers/offer.ts'
import type { SqlQueryable, SqlValue } from '../storage/database.ts'
import { isUniqueViolation } from '../storage/unique-violation.ts'
import type { Operation, OperationSlot, OutboxMessage, PlannedFault } from './operation.ts'
import { NEWEST_FIRST, readOfferOperation, readOperations } from './operation-reads.sql.ts'
import {
  inFlightKey,
  inFlightOf,
  OPERATION_COLUMNS,
  type OutboxRow,
  rowValues,
  stepValues,
  stored,
} from './operation-rows.ts'
import {
  type ClaimedOperation,
  OperationConflictError,
  type OperationStore,
  type PublishContext,
} from './operations.store.ts'
import { readPublishContext } from './publish-context.sql.ts'

export class SqlOperationStore implements OperationStore {
  readonly #db: SqlQueryable

  constructor(db: SqlQueryable) {
    this.#db = db
  }

  async findOperation(id: string): Promise<Operation | undefined> {
    return this.#one('WHERE id = ?', [id])
  }

  async findBySubmission(
    publisherId: string,
    offerId: string,
    publishingVersion: number,
    slot: OperationSlot,
  ): Promise<Operation | undefined> {
    return this.#one('WHERE publisher_id = ? AND offer_id = ? AND publishing_version = ? AND slot = ?', [
      publisherId,
      offerId,
      publishingVersion,
      slot,
    ])
  }

  async findInFlight(publisherId: string, offerId: string): Promise<Operation | undefined> {
    return this.#one('WHERE in_flight_key = ?', [inFlightKey(publisherId, offerId)])
  }

  async findOfferOperation(
    publisherId: string,
    offerId: string,
    which: 'inFlight' | 'latest',
  ): Promise<{ offerStatus: OfferStatus; operation?: Operation } | undefined> {
    return readOfferOperation(this.#db, publisherId, offerId, which)
  }

  async listOperations(publisherId: string, offerId: string): Promise<Operation[]> {
    return readOperations(
      this.#db,
      'WHERE publisher_id = ? AND offer_id = ?',
      [publisherId, offerId],
      NEWEST_FIRST,
    )
  }

  async findPublishingStamp(publisherId: string, offerId: string): Promise<string | undefined> {
    // GROUP BY the offer's own column: one row for an offer without operations too (LEFT JOIN).
    const row = await this.#db.get<{
      revision: number | string
      operations: number | string
      writes: number | string
    }>(
      `SELECT f.revision, COUNT(o.id) AS operations, COALESCE(SUM(o.row_version), 0) AS writes
       FROM offers f LEFT JOIN operations o ON o.publisher_id = f.publisher_id AND o.offer_id = f.id
       WHERE f.publisher_id = ? AND f.id = ? GROUP BY f.revision`,
      [publisherId, offerId],
    )
    // PostgreSQL's COUNT and SUM arrive as strings; Number() gives both backends the same text.
    return row && `${Number(row.revision)}.${Number(row.operations)}.${Number(row.writes)}`
  }

  async findPublishContext(publisherId: string, offerId: string): Promise<PublishContext | undefined> {
    return readPublishContext(this.#db, publisherId, offerId, () => this.findInFlight(publisherId, offerId))
  }

  async nextPublishingVersion(publisherId: string, offerId: string): Promise<number> {
    const row = await this.#db.get<{ latest: number | null }>(
      'SELECT MAX(publishing_version) AS latest FROM operations WHERE publisher_id = ? AND offer_id = ?',
      [publisherId, offerId],
    )
    return Number(row?.latest ?? 0) + 1
  }

  async insertOperation(operation: Operation): Promise<Operation> {
    return this.#db.transaction(async (tx) => {
      // No read first: the unique in_flight_key refuses a second operation in flight, from this
      // replica or another, and a read would cost every publish a round trip on PostgreSQL.
      try {
        await tx.run(
          `INSERT INTO operations (${OPERATION_COLUMNS}, in_flight_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [...rowValues(operation), 1, inFlightOf(operation)],
        )
      } catch (error) {
        // An operation of the offer is in flight already (this unit of work is then retried).
        if (isUniqueViolation(error))
          throw new OperationConflictError(operation.publisherId, operation.offerId)
        throw error
      }
      // One statement for all the steps: on PostgreSQL each statement is a round trip.
      await tx.run(
        `INSERT INTO operation_steps (operation_id, position, step_id, status, messages, started_time, due_time, finished_time)
         VALUES ${operation.steps.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        operation.steps.flatMap((step, position) => [operation.id, position, ...stepValues(step)]),
      )
      return stored({ ...operation, rowVersion: 1 })
    })
  }

  async saveOperation(current: Operation, next: Operation): Promise<Operation | undefined> {
    return this.#db.transaction(async (tx) => {
      const { changes } = await tx.run(
        `UPDATE operations SET state = ?, notification_emails = ?, faults = ?, messages = ?, changed_time = ?,
           next_due_time = ?, in_flight_key = ?, lease_owner = NULL, lease_until = NULL, row_version = row_version + 1
         WHERE id = ? AND row_version = ?`,
        [
          next.state,
          next.notificationEmails ?? null,
          JSON.stringify(next.faults),
          JSON.stringify(next.messages),
          next.changedTime,
          next.nextDueTime ?? null,
          inFlightOf(next),
          current.id,
          current.rowVersion,
        ],
      )
      if (changes !== 1) return undefined
      for (const [position, step] of next.steps.entries()) {
        if (step === current.steps[position]) continue
        await tx.run(
          `UPDATE operation_steps SET step_id = ?, status = ?, messages = ?, started_time = ?, due_time = ?, finished_time = ?
           WHERE operation_id = ? AND position = ?`,
          [...stepValues(step), current.id, position],
        )
      }
      return stored({ ...next, rowVersion: current.rowVersion + 1 })
    })
  }

  async claimDue(now: string, owner: string, leaseUntil: string, limit: number): Promise<ClaimedOperation[]> {
    const candidates = await this.#db.all<{ id: string; lease_owner: string | null }>(
      `SELECT id, lease_owner FROM operations WHERE next_due_time <= ? AND state = 'running'
         AND (lease_until IS NULL OR lease_until <= ? OR lease_owner = ?)
       ORDER BY next_due_time LIMIT ?`,
      [now, now, owner, limit],
    )
    const claimed: ClaimedOperation[] = []
    for (const { id, lease_owner: previousOwner } of candidates) {
      // The same condition again, as a compare-and-set: of two workers, one gets the lease.
      const { changes } = await this.#db.run(
        `UPDATE operations SET lease_owner = ?, lease_until = ?
         WHERE id = ? AND state = 'running' AND (lease_until IS NULL OR lease_until <= ? OR lease_owner = ?)`,
        [owner, leaseUntil, id, now, owner],
      )
      if (changes !== 1) continue
      claimed.push(
        previousOwner === null || previousOwner === owner ? { id } : { id, takenOverFrom: previousOwner },
      )
    }
    return claimed
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    await this.#db.run(
      'UPDATE operations SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?',
      [id, owner],
    )
  }

  async countInFlightBySteps(): Promise<{ stepId?: string; count: number }[]> {
    const [total] = await this.#db.all<{ count: number | string }>(
      'SELECT COUNT(*) AS count FROM operations WHERE in_flight_key IS NOT NULL',
    )
    const steps = await this.#db.all<{ step_id: string; count: number | string }>(
      `SELECT s.step_id, COUNT(*) AS count FROM operations o JOIN operation_steps s ON s.operation_id = o.id
       WHERE o.in_flight_key IS NOT NULL AND s.status IN ('inProgress', 'waitingForPublisherReview', 'waitingForApproval')
       GROUP BY s.step_id ORDER BY s.step_id`,
    )
    const counted = steps.map((row) => ({ stepId: row.step_id, count: Number(row.count) }))
    const between = Number(total?.count ?? 0) - counted.reduce((sum, row) => sum + row.count, 0)
    return between > 0 ? [...counted, { count: between }] : counted
  }

  async nextDueTime(): Promise<string | undefined> {
    const row = await this.#db.get<{ due: string | null }>(
      "SELECT MIN(next_due_time) AS due FROM operations WHERE state = 'running'",
    )
    return row?.due ?? undefined
  }

  async addOutboxMessages(messages: readonly Omit<OutboxMessage, 'sequence'>[]): Promise<void> {
    if (messages.length === 0) return
    // One statement for them all, each one's sequence computed by the INSERT itself: a row per
    // message, numbered after the highest its operation had before the statement (both databases'
    // INSERT … SELECT reads the table as it was before it inserts). One round trip.
    const ordinals = new Map<string, number>()
    const selects: string[] = []
    const params: SqlValue[] = []
    for (const message of messages) {
      const offset = (ordinals.get(message.operationId) ?? 0) + 1
      ordinals.set(message.operationId, offset)
      selects.push(
        `SELECT ?, COALESCE(MAX(sequence), 0) + ${offset}, ?, ?, ?, ?, ? FROM operation_outbox WHERE operation_id = ?`,
      )
      params.push(
        message.operationId,
        message.event,
        JSON.stringify(message.to),
        message.subject,
        message.body,
        message.createdTime,
        message.operationId,
      )
    }
    await this.#db.run(
      `INSERT INTO operation_outbox (operation_id, sequence, event, recipients, subject, body, created_time)
       ${selects.join(' UNION ALL ')}`,
      params,
    )
  }

  async listOutbox(operationId: string): Promise<OutboxMessage[]> {
    const rows = await this.#db.all<OutboxRow>(
      'SELECT * FROM operation_outbox WHERE operation_id = ? ORDER BY sequence',
      [operationId],
    )
    return rows.map((row) => ({
      operationId: row.operation_id,
      sequence: Number(row.sequence),
      event: row.event,
      to: JSON.parse(row.recipients) as string[],
      subject: row.subject,
      body: row.body,
      createdTime: row.created_time,
    }))
  }

  async setNextPublishFault(
    publisherId: string,
    offerId: string,
    fault: PlannedFault,
    createdTime: string,
  ): Promise<void> {
    await this.#db.run(
      `INSERT INTO publish_faults (publisher_id, offer_id, step_id, outcome, message, created_time) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (publisher_id, offer_id) DO UPDATE SET step_id = excluded.step_id, outcome = excluded.outcome,
         message = excluded.message, created_time = excluded.created_time`,
      [publisherId, offerId, fault.stepId, fault.outcome, JSON.stringify(fault.messages), createdTime],
    )
  }

  async findNextPublishFault(publisherId: string, offerId: string): Promise<PlannedFault | undefined> {
    const row = await this.#db.get<{ step_id: string; outcome: PlannedFault['outcome']; message: string }>(
      'SELECT step_id, outcome, message FROM publish_faults WHERE publisher_id = ? AND offer_id = ?',
      [publisherId, offerId],
    )
    return row && { stepId: row.step_id, outcome: row.outcome, messages: JSON.parse(row.message) as string[] }
  }

  async clearNextPublishFault(publisherId: string, offerId: string): Promise<boolean> {
    const { changes } = await this.#db.run(
      'DELETE FROM publish_faults WHERE publisher_id = ? AND offer_id = ?',
      [publisherId, offerId],
    )
    return changes > 0
  }

  async #one(where: string, params: readonly SqlValue[]): Promise<Operation | undefined> {
    const [operation] = await readOperations(this.#db, where, params)
    return operation
  }
}
