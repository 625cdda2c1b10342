import type { ApiError } from '../errors/api-error.ts'
import { errors } from '../errors/errors.ts'
import { checkPublishable } from '../offer-types/publishability.ts'
import type { Offer, OfferStatus } from '../offers/offer.ts'
import type { Operation } from './operation.ts'

/**
 * Whether publish, go-live and cancel apply to an offer as it stands, and what each then does:
 * decided once, pure, for the service that acts (operations.service.ts) and for the portal, which
 * asks before it offers a button (publishing-actions.ts). What an operation itself accepts is the
 * state machine's (operation-transitions.ts); these are the offer-level rules around it.
 */

export type PublishDecision =
  /** This very draft is in flight already: the publish answers that operation (idempotent). */
  | { readonly kind: 'inFlight'; readonly operation: Operation }
  /**
   * Snapshot the draft and start; `replaces` is a publish of an older draft waiting for sign-off,
   * canceled first (the documented flow: check Preview, fix, publish again).
   */
  | { readonly kind: 'start'; readonly blockers: readonly string[]; readonly replaces?: Operation }

export function decidePublish(offer: Offer, inFlight: Operation | undefined): PublishDecision | ApiError {
  if (inFlight?.kind === 'publish' && inFlight.draftChangedTime === offer.changedTime) {
    return { kind: 'inFlight', operation: inFlight }
  }
  if (inFlight && !(inFlight.kind === 'publish' && inFlight.state === 'waitingForPublisherReview')) {
    return errors.operationInProgress(offer.id, inFlight.id, describe(inFlight))
  }
  const { rejections, blockers } = checkPublishable(offer)
  if (rejections.length > 0) return errors.offerNotPublishable(offer.id, rejections)
  return inFlight ? { kind: 'start', blockers, replaces: inFlight } : { kind: 'start', blockers }
}

export type GoLiveDecision =
  /** The go-live runs already: answered as is (idempotent). */
  | { readonly kind: 'inFlight'; readonly operation: Operation }
  /** Sign the waiting publish off, then start its go-live. */
  | { readonly kind: 'signOff'; readonly waiting: Operation }

export function decideGoLive(
  offerId: string,
  status: OfferStatus,
  inFlight: Operation | undefined,
): GoLiveDecision | ApiError {
  if (inFlight?.kind === 'goLive') return { kind: 'inFlight', operation: inFlight }
  if (inFlight?.state !== 'waitingForPublisherReview') {
    return errors.notWaitingForPublisherReview(offerId, status)
  }
  return { kind: 'signOff', waiting: inFlight }
}

export type CancelDecision =
  /** The publish in flight is canceled. */
  | { readonly kind: 'cancel'; readonly operation: Operation }
  /** Nothing can be canceled; the lenient API answers 202 naming `latest`, unchanged. */
  | { readonly kind: 'nothing'; readonly latest: Operation }

/**
 * `latest`: the operation in flight, or else the offer's newest. `strict` refuses what has nothing
 * to cancel (--strict-cancel); the lenient default accepts it and changes nothing.
 */
export function decideCancel(
  offerId: string,
  latest: Operation | undefined,
  strict: true,
): Extract<CancelDecision, { kind: 'cancel' }> | ApiError
export function decideCancel(
  offerId: string,
  latest: Operation | undefined,
  strict: boolean,
): CancelDecision | ApiError
export function decideCancel(
  offerId: string,
  latest: Operation | undefined,
  strict: boolean,
): CancelDecision | ApiError {
  if (
    latest?.kind === 'publish' &&
    (latest.state === 'running' || latest.state === 'waitingForPublisherReview')
  ) {
    return { kind: 'cancel', operation: latest }
  }
  if (!latest) return errors.operationNotCancelable(offerId, 'it has never been published')
  if (!strict) return { kind: 'nothing', latest }
  return errors.operationNotCancelable(
    offerId,
    latest.kind === 'goLive' && latest.state === 'running'
      ? 'the offer is going live, which cannot be canceled'
      : `its last operation is ${latest.state}`,
  )
}

function describe(operation: Operation): string {
  return operation.kind === 'goLive'
    ? 'going live'
    : `publishing version ${operation.publishingVersion}, ${operation.state}`
}
