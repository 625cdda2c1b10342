import { ApiError } from '../errors/api-error.ts'
import { errors } from '../errors/errors.ts'
import { isUniqueViolation } from '../storage/unique-violation.ts'
import type { StoreSet } from '../stores.ts'
import { formatTimestamp } from '../timestamps.ts'
import { type NetEffects, netEffects } from './net-effects.ts'
import type { Operation, OperationEvent } from './operation.ts'
import { settle, type Transition, transition } from './operation-transitions.ts'
import { OperationConflictError } from './operations.store.ts'

/**
 * Stores what the pure transitions decide, with their effects, through the stores of one
 * transaction: the operation (compare-and-set on its row version), the offer's status and slots,
 * and the outbox. A caller runs these inside `stores.transaction`, so all of it commits or none.
 *
 * Whatever falls due at once after a transition (every step of a phase in the instant profile) is
 * settled in the same unit of work: the operation is written once, in its last state, and so are the
 * effects of every transition on the way, as what they leave behind (net-effects.ts): the offer's
 * last status, each slot's last version, every notification (each written as of its transition).
 */

/** Someone else changed the operation (or the draft a publish read); the unit of work is retried. */
export class ConcurrentUpdateError extends Error {
  constructor(subject: string) {
    super(`${subject} changed concurrently`)
    this.name = 'ConcurrentUpdateError'
  }
}

export async function storeNewOperation(
  stores: StoreSet,
  created: Transition,
  now: Date,
): Promise<Operation> {
  const chain = settle(created, now)
  const at = formatTimestamp(now)
  const stored = await stores.operations.insertOperation(lastOf(chain).operation)
  await applyNetEffects(stores, stored, netEffects(chain, at), at)
  return stored
}

/**
 * A new publish: its snapshot of the draft and the offer's status are one write of the offer's row
 * (OfferStore.publishDraft), of the draft the publish was decided on (`offerVersion`,
 * `draftChangedTime`). A draft changed since it was read makes the unit of work run again.
 */
export async function storeNewPublish(stores: StoreSet, created: Transition, now: Date): Promise<Operation> {
  const at = formatTimestamp(now)
  const chain = settle(created, now)
  const { status, ...rest } = netEffects(chain, at)
  const { publisherId, offerId, offerVersion, draftChangedTime } = created.operation
  const draft = { version: offerVersion, changedTime: draftChangedTime }
  if (!(await stores.offers.publishDraft(publisherId, offerId, draft, status, at))) {
    throw new ConcurrentUpdateError(`The draft of offer ${publisherId}/${offerId}`)
  }
  const stored = await stores.operations.insertOperation(lastOf(chain).operation)
  await applyNetEffects(stores, stored, rest, at)
  return stored
}

/** Applies `event` to `current` as read in this transaction. Throws the ApiError of a refused event. */
export async function applyEvent(
  stores: StoreSet,
  current: Operation,
  event: OperationEvent,
  now: Date,
  base: Operation = current,
): Promise<Operation> {
  const next = transition(base, event, now)
  if (next instanceof ApiError) throw next
  return (await storeTransition(stores, current, next, now)).operation
}

/**
 * Stores `next` and what falls due right after it over `current` (compare-and-set on the row
 * version). Answers the stored operation and how many transitions that was.
 */
export async function storeTransition(
  stores: StoreSet,
  current: Operation,
  next: Transition,
  now: Date,
): Promise<{ operation: Operation; transitions: number }> {
  const chain = settle(next, now)
  const stored = await stores.operations.saveOperation(current, lastOf(chain).operation)
  if (!stored) throw new ConcurrentUpdateError(`Operation ${current.id}`)
  const at = formatTimestamp(now)
  await applyNetEffects(stores, stored, netEffects(chain, at), at)
  return { operation: stored, transitions: chain.length }
}

function lastOf(chain: readonly Transition[]): Transition {
  return chain[chain.length - 1] as Transition
}

/** At most one statement per table: the offer's status, each slot, the outbox (net-effects.ts). */
async function applyNetEffects(stores: StoreSet, operation: Operation, net: NetEffects, at: string) {
  const { publisherId, offerId } = operation
  if (net.status !== undefined) await stores.offers.setStatus(publisherId, offerId, net.status)
  for (const [slot, version] of net.slots)
    await stores.offers.setSlot(publisherId, offerId, slot, version, at)
  if (net.messages.length > 0) await stores.operations.addOutboxMessages(net.messages)
}

/**
 * Runs a unit of work again when it lost a race (compare-and-set, or the one-in-flight constraint):
 * the next attempt reads the winner's state and decides afresh. Never loops for long: after a few
 * attempts the caller gets a 409 to retry later.
 */
export async function retryingConflicts<T>(subject: string, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work()
    } catch (error) {
      const lostRace =
        error instanceof ConcurrentUpdateError ||
        error instanceof OperationConflictError ||
        // e.g. two replicas snapshotting the same draft version at once
        isUniqueViolation(error)
      if (!lostRace) throw error
      if (attempt >= 5)
        throw errors.invalidOperationState(subject, 'being changed by another request', 'change')
    }
  }
}
