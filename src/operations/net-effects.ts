import type { PublishedSlot } from '../offers/offer.ts'
import { notificationFor } from './notifications.ts'
import type { OperationEffect, OutboxMessage } from './operation.ts'
import type { Transition } from './operation-transitions.ts'

type StatusEffect = Extract<OperationEffect, { kind: 'offerStatus' }>

/**
 * What a settled chain of transitions (operation-transitions.ts `settle`) leaves behind, as one write
 * per thing written: the offer's last status, each slot's last version, and every notification in
 * order, each rendered with the operation as it was at its own transition. Nobody sees the inside of
 * a transaction, so the statuses a phase passes through on its way (running, then
 * waitingForPublisherReview) need not each be stored: on PostgreSQL every write is a round trip, and
 * every write of an offer's row a new row version in each of its indexes. Pure.
 */
export interface NetEffects {
  /** Undefined when no transition of the chain sets the offer's status. */
  readonly status?: StatusEffect['status']
  /** Undefined as a version empties the slot. */
  readonly slots: ReadonlyMap<PublishedSlot, number | undefined>
  readonly messages: readonly Omit<OutboxMessage, 'sequence'>[]
}

export function netEffects(chain: readonly Transition[], at: string): NetEffects {
  let status: StatusEffect['status'] | undefined
  const slots = new Map<PublishedSlot, number | undefined>()
  const messages: Omit<OutboxMessage, 'sequence'>[] = []
  for (const link of chain) {
    for (const effect of link.effects) {
      switch (effect.kind) {
        case 'offerStatus':
          status = effect.status
          break
        case 'slot':
          slots.set(effect.slot, effect.version)
          break
        case 'notify': {
          const message = notificationFor(link.operation, effect.event, at)
          if (message) messages.push(message)
          break
        }
      }
    }
  }
  return status === undefined ? { slots, messages } : { status, slots, messages }
}
