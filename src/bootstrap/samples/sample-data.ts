import type { Offer } from '../../offers/offer.ts'
import { neverPublishedAzureApplicationOffer } from './azure-application-offer.ts'
import { hardenedLinuxOffer } from './core-vm-offer.ts'
import { devOpsVmOffer, neverPublishedVmOffer } from './virtual-machine-offers.ts'

/**
 * One offer of each type, as drafts never published. SAMPLE_PUBLICATIONS says which of them the
 * bootstrap then publishes and takes live, and how many times, so that a new publisher meets
 * offers in the states it meets first, every one of them a state the engine reached.
 */
export function sampleOffers(changedTime: string): Offer[] {
  return [
    neverPublishedVmOffer(changedTime),
    devOpsVmOffer(changedTime),
    hardenedLinuxOffer(changedTime),
    neverPublishedAzureApplicationOffer(changedTime),
  ]
}

/**
 * How many times each sample offer is published and taken live: the DevOps VM up to version 5 of
 * its draft (versions 1 to 4 published, 4 in Production), the hardened Linux up to version 2.
 */
export const SAMPLE_PUBLICATIONS: Readonly<Record<string, number>> = {
  'contoso-devops-vm': 4,
  'contoso-hardened-linux': 1,
}
