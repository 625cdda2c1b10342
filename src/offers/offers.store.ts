import type { Publisher } from '../publishers/publisher.ts'
import type { Offer, OfferFilter, OfferSummary } from './offer.ts'

/** Storage of offers. `find*` answers undefined when there is no such offer. */
export interface OfferStore {
  /**
   * The summaries of a publisher's offers, ordered by id, one at a time: a namespace of any size is
   * answered without holding its full definitions in memory.
   */
  listOfferSummaries(publisherId: string, filter: OfferFilter): AsyncIterable<OfferSummary>
  findOffer(publisherId: string, offerId: string): Promise<Offer | undefined>
  /**
   * Creates or replaces offers as given, all in one transaction (import, bootstrap). `publishers` are
   * created first, in the same transaction, unless their id is taken (existing ones are left as they are).
   */
  importOffers(
    offers: readonly Offer[],
    createdTime: string,
    publishers?: readonly Publisher[],
  ): Promise<void>
}
