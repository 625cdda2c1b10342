import type { Caller } from '../auth/caller.ts'
import { errors } from '../errors/errors.ts'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import type { OfferSummary } from './offer.ts'
import { parseOfferFilter } from './offer-filter.ts'
import type { OfferStore } from './offers.store.ts'

/** The rules of reading and writing offers; HTTP-free. */
export function createOfferService(deps: { offers: OfferStore; access: PublisherAccess }) {
  async function requireAccess(caller: Caller, publisherId: string): Promise<void> {
    if (caller.principalId === undefined) throw errors.forbidden(publisherId)
    await deps.access.requirePublisher(caller.principalId, publisherId)
  }

  return {
    /** Checks access and the filter first, so that every error is known before the answer streams. */
    async listOffers(
      caller: Caller,
      publisherId: string,
      filter: string | undefined,
    ): Promise<AsyncIterable<OfferSummary>> {
      await requireAccess(caller, publisherId)
      return deps.offers.listOfferSummaries(publisherId, parseOfferFilter(filter))
    },
  }
}

export type OfferService = ReturnType<typeof createOfferService>
