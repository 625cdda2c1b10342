import { OFFER_TYPES } from '../../offer-types/offer-types.ts'
import type { Offer } from '../../offers/offer.ts'
import type { Publisher } from '../../publishers/publisher.ts'
import { SAMPLE_PUBLISHER_ID } from '../development-credentials.ts'
import { neverPublishedAzureApplicationOffer } from './azure-application-offer.ts'
import { publishedCoreVmOffer } from './core-vm-offer.ts'
import { neverPublishedVmOffer, publishedVmOffer } from './virtual-machine-offers.ts'

/**
 * What a new publisher may publish when nothing else is said: every offer type this server knows.
 * CPP never documented the values of `offerTypeCategories` (observed only as a placeholder).
 */
export const DEFAULT_OFFER_TYPE_CATEGORIES: readonly string[] = OFFER_TYPES.map((type) => type.id)

/** The publisher the development principal owns, shaped like the reference's example (§4.1). */
export const SAMPLE_PUBLISHER: Publisher = Object.freeze({
  id: SAMPLE_PUBLISHER_ID,
  displayText: 'Contoso',
  sellerId: 1234567,
  offerTypeCategories: DEFAULT_OFFER_TYPE_CATEGORIES,
  version: 1,
})

/** One offer of each type, in the statuses a new publisher meets first. */
export function sampleOffers(changedTime: string): Offer[] {
  return [
    neverPublishedVmOffer(changedTime),
    publishedVmOffer(changedTime),
    publishedCoreVmOffer(changedTime),
    neverPublishedAzureApplicationOffer(changedTime),
  ]
}
