import { ApiError } from '../errors/api-error.ts'
import { errors } from '../errors/errors.ts'
import { isUniqueViolation } from '../storage/unique-violation.ts'
import type { StoreSet } from '../stores.ts'
import { formatTimestamp } from '../timestamps.ts'
import { notificationFor } from './notifications.ts'
import type { Operation, OperationEffect, OperationEvent } from './operation.ts'
import { settle, type Transition, transition } from './operation-transitions.ts'
import { OperationConflictError } from './operations.store.ts'

/**
 * Stores what the pure transitions decide, with their effects, through the stores of one
 * transaction: the operation (compare-and-set on its row version), the offer's status and slots,
 * and the outbox. A caller runs these inside `stores.transaction`, so all of it commits or none.
 *
 * Whatever falls due at once after a transition (every step of a phase in the instant profile) is
 * settled in the same unit of work: the operation is written once, in its last state, and the effects
 * of every transition on the way are applied in order, each with the operation as it was then.
 */

/** Someone else changed the operation since it was read; the unit of work is retried. */
export class ConcurrentUpdateError extends Error {
  constructor(operationId: string) {
    super(`Operation ${operationId} changed concurrently`)
    this.name = 'ConcurrentUpdateError'
  }
}

export async function storeNewOperation(
  stores: StoreSet,
  created: Transition,
  now: Date,
): Promise<Operation> {
  const chain = settle(created, now)
  const stored = await stores.operations.insertOperation(lastOf(chain).operation)
  await applyChainEffects(stores, chain, now)
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
  if (!stored) throw new ConcurrentUpdateError(current.id)
  await applyChainEffects(stores, chain, now)
  return { operation: stored, transitions: chain.length }
}

function lastOf(chain: readonly Transition[]): Transition {
  return chain[chain.length - 1] as Transition
}

async function applyChainEffects(stores: StoreSet, chain: readonly Transition[], now: Date): Promise<void> {
  for (const link of chain) await applyEffects(stores, link.operation, link.effects, now)
}

async function applyEffects(
  stores: StoreSet,
  operation: Operation,
  effects: readonly OperationEffect[],
  now: Date,
): Promise<void> {
  const at = formatTimestamp(now)
  for (const effect of effects) {
    switch (effect.kind) {
      case 'offerStatus':
        await stores.offers.setStatus(operation.publisherId, operation.offerId, effect.status)
        break
      case 'slot':
        await stores.offers.setSlot(operation.publisherId, operation.offerId, effect.slot, effect.version, at)
        break
      case 'notify': {
        const message = notificationFor(operation, effect.event, at)
        if (message) await stores.operations.addOutboxMessage(message)
        break
      }
    }
  }
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
