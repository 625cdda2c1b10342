import { ApiError } from '../errors/api-error.ts'
import type { Offer } from '../offers/offer.ts'
import type { Operation } from './operation.ts'
import { transition } from './operation-transitions.ts'
import { decideCancel, decideGoLive, decidePublish } from './publishing-decisions.ts'

/** Whether an action would be accepted now; when not, the sentence that says why. */
export type ActionAvailability =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: string }

/** What the portal may offer for an offer at one moment: its publishing buttons. */
export interface PublishingActions {
  readonly publish: ActionAvailability
  readonly goLive: ActionAvailability
  readonly cancel: ActionAvailability
}

const ALLOWED: ActionAvailability = { allowed: true }

/**
 * Would the API accept publish, go-live and cancel now, and change something? Asked through the
 * same decisions and transitions the API acts with (publishing-decisions.ts, operation-transitions.ts),
 * so a button is never offered that the API would refuse, and its reason is the API's own message.
 * Two answers the API gives without changing anything are not offered either: publishing the draft
 * already in flight (the API answers that operation again), and the lenient cancel with nothing to
 * cancel (202 naming the latest operation, unchanged).
 *
 * `latest`: the operation in flight, or else the offer's newest (what a cancel is about).
 */
export function publishingActions(
  offer: Offer,
  inFlight: Operation | undefined,
  latest: Operation | undefined,
  now: Date,
): PublishingActions {
  return {
    publish: publishAvailability(offer, inFlight),
    goLive: goLiveAvailability(offer, inFlight, now),
    cancel: cancelAvailability(offer, latest, now),
  }
}

function publishAvailability(offer: Offer, inFlight: Operation | undefined): ActionAvailability {
  const decision = decidePublish(offer, inFlight)
  if (decision instanceof ApiError) return refused(decision)
  if (decision.kind === 'inFlight') {
    return {
      allowed: false,
      reason:
        decision.operation.state === 'waitingForPublisherReview'
          ? 'This draft is published to Preview already and waits for go-live; change the draft to publish again.'
          : 'This draft is being published already.',
    }
  }
  return ALLOWED
}

function goLiveAvailability(offer: Offer, inFlight: Operation | undefined, now: Date): ActionAvailability {
  const decision = decideGoLive(offer.id, offer.status, inFlight)
  if (decision instanceof ApiError) return refused(decision)
  if (decision.kind === 'inFlight') return { allowed: false, reason: 'The offer is going live already.' }
  const signedOff = transition(decision.waiting, { type: 'goLive' }, now)
  return signedOff instanceof ApiError ? refused(signedOff) : ALLOWED
}

function cancelAvailability(offer: Offer, latest: Operation | undefined, now: Date): ActionAvailability {
  // Strict: the portal asks whether a cancel would cancel something, not whether it answers 202.
  const decision = decideCancel(offer.id, latest, true)
  if (decision instanceof ApiError) return refused(decision)
  const canceled = transition(decision.operation, { type: 'cancel' }, now)
  return canceled instanceof ApiError ? refused(canceled) : ALLOWED
}

function refused(error: ApiError): ActionAvailability {
  return { allowed: false, reason: error.message }
}
