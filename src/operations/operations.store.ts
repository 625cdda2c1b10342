import type { Offer, OfferStatus } from '../offers/offer.ts'
import type { Operation, OperationSlot, OutboxMessage, PlannedFault } from './operation.ts'

/**
 * Storage of publishing operations, their steps, their outbox and the failures injected for the
 * next publish. `find*` answers undefined when there is nothing. Written for several workers over one
 * database (replicas on PostgreSQL): state changes are compare-and-set on `rowVersion`, and workers
 * claim due operations with a lease so that they do not all compute the same transition.
 */
export interface OperationStore {
  findOperation(id: string): Promise<Operation | undefined>
  /** The operation of a submission: `…/api/operations/{publisher}${offer}${publishingVersion}${slot}`. */
  findBySubmission(
    publisherId: string,
    offerId: string,
    publishingVersion: number,
    slot: OperationSlot,
  ): Promise<Operation | undefined>
  /** The offer's running operation, or its publish waiting for sign-off: at most one. */
  findInFlight(publisherId: string, offerId: string): Promise<Operation | undefined>
  /**
   * The offer's status and one of its operations, in one read: its operation in flight (as
   * findInFlight) or its latest (the first of listOperations). Undefined when there is no such
   * offer. What a go-live decides on, and what a poll of the offer's status shows.
   */
  findOfferOperation(
    publisherId: string,
    offerId: string,
    which: 'inFlight' | 'latest',
  ): Promise<{ offerStatus: OfferStatus; operation?: Operation } | undefined>
  /** Every operation of the offer, newest first. */
  listOperations(publisherId: string, offerId: string): Promise<Operation[]>
  /**
   * What the offer's publishing holds, as a value that changes with every write to the offer's row
   * (draft, status, version) or to any of its operations (steps, messages, and the outbox, which is
   * only written with a transition of its operation), and only then; undefined when there is no such
   * offer. Each operation write increments its row version and a new operation adds one to the count;
   * nothing is deleted, so the value never comes back to one it had. One indexed read: the portal's
   * live pages poll it (publishing-feed.ts), from any process, to learn that something changed.
   */
  findPublishingStamp(publisherId: string, offerId: string): Promise<string | undefined>
  /**
   * Everything a publish decides on, read together: the offer (with its draft), its operation in
   * flight, the failure planned for its next publish, the version its Preview slot holds and its
   * next submission counter. Undefined when there is no such offer. One statement (five, read one
   * by one), and a second one only when an operation is in flight, to read it with its steps.
   */
  findPublishContext(publisherId: string, offerId: string): Promise<PublishContext | undefined>
  /** The offer's next submission counter (1 for its first publish). */
  nextPublishingVersion(publisherId: string, offerId: string): Promise<number>
  /**
   * Stores a new operation. Throws OperationConflictError when the offer already has one in flight
   * (a database constraint, so two publishes racing on different replicas cannot both start).
   */
  insertOperation(operation: Operation): Promise<Operation>
  /**
   * Stores `next` if the stored row is still at `current.rowVersion` (compare-and-set), releasing
   * any lease; answers the stored operation, or undefined when someone else changed it first.
   */
  saveOperation(current: Operation, next: Operation): Promise<Operation | undefined>
  /**
   * Leases up to `limit` operations whose next step is due at `now` and that nobody else holds,
   * answering their ids. A lease lapses at `leaseUntil`, so a crashed worker's operations are taken
   * over (and say from whom); saving a transition releases it.
   */
  claimDue(now: string, owner: string, leaseUntil: string, limit: number): Promise<ClaimedOperation[]>
  releaseLease(id: string, owner: string): Promise<void>
  /**
   * Operations in flight on the whole database, by the step they are at (one in progress or
   * waiting for a person); those between two steps count under `stepId` undefined. For metrics.
   */
  countInFlightBySteps(): Promise<{ stepId?: string; count: number }[]>
  /** The earliest time any running operation has something due, for the worker's timer. */
  nextDueTime(): Promise<string | undefined>
  /**
   * Appends messages, in their order, to their operations' outboxes (each one's sequence is
   * assigned here), in one statement.
   */
  addOutboxMessages(messages: readonly Omit<OutboxMessage, 'sequence'>[]): Promise<void>
  listOutbox(operationId: string): Promise<OutboxMessage[]>
  /** The failure the next publish of the offer will meet, until that publish takes it. */
  setNextPublishFault(
    publisherId: string,
    offerId: string,
    fault: PlannedFault,
    createdTime: string,
  ): Promise<void>
  findNextPublishFault(publisherId: string, offerId: string): Promise<PlannedFault | undefined>
  /** Removes it; answers whether there was one. */
  clearNextPublishFault(publisherId: string, offerId: string): Promise<boolean>
}

/** What OperationStore.findPublishContext reads. */
export interface PublishContext {
  readonly offer: Offer
  readonly inFlight?: Operation
  readonly nextPublishFault?: PlannedFault
  readonly previewVersion?: number
  readonly nextPublishingVersion: number
}

export interface ClaimedOperation {
  readonly id: string
  /** The worker whose lease had lapsed, when this claim took the operation over from another. */
  readonly takenOverFrom?: string
}

/** The offer already has an operation in flight (the in-flight constraint refused a second one). */
export class OperationConflictError extends Error {
  constructor(publisherId: string, offerId: string) {
    super(`Offer ${publisherId}/${offerId} already has an operation in flight`)
    this.name = 'OperationConflictError'
  }
}
