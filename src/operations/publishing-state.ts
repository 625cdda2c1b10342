import type { Caller } from '../auth/caller.ts'
import type { Clock } from '../clock.ts'
import { errors } from '../errors/errors.ts'
import type { Offer } from '../offers/offer.ts'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import type { StoreSet } from '../stores.ts'
import { isInFlight, type Operation } from './operation.ts'
import { type PublishingActions, publishingActions } from './publishing-actions.ts'

/** An offer's publishing, read for a person (the portal's publishing page and its live stream). */
export interface PublishingState {
  /** OperationStore.findPublishingStamp, read before the rest: a later change changes it. */
  readonly stamp: string
  readonly offer: Offer
  /** Newest first. */
  readonly operations: readonly Operation[]
  readonly actions: PublishingActions
  /** When it was read (step progress is derived from it). */
  readonly now: Date
}

/** OperationService.publishingState: with the access check of the publishing calls. */
export async function readPublishingState(
  deps: {
    readonly stores: Pick<StoreSet, 'offers' | 'operations'>
    readonly access: PublisherAccess
    readonly clock: Clock
  },
  caller: Caller,
  publisherId: string,
  offerId: string,
): Promise<PublishingState> {
  const { stores } = deps
  await deps.access.require(caller, publisherId)
  // The stamp first: a change committed after it, even during the reads below, changes it, so a
  // live page that watches from this stamp is told (publishing-feed.ts).
  const stamp = await stores.operations.findPublishingStamp(publisherId, offerId)
  const offer = stamp === undefined ? undefined : await stores.offers.findOffer(publisherId, offerId)
  if (stamp === undefined || !offer) throw errors.offerNotFound(publisherId, offerId)
  const operations = await stores.operations.listOperations(publisherId, offerId)
  const inFlight = operations.find(isInFlight)
  const now = deps.clock.now()
  return {
    stamp,
    offer,
    operations,
    actions: publishingActions(offer, inFlight, inFlight ?? operations[0], now),
    now,
  }
}
