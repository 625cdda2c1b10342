/**
 * The offer types this server understands (reference §7, §8). Each entry is the source for the
 * offerTypes endpoint and, later, for per-type validation and publishing pipelines.
 */
export const OFFER_TYPES = [
  { id: 'microsoft-azure-virtualmachines', displayText: 'Virtual Machine' },
  { id: 'microsoft-azure-corevm', displayText: 'Core Virtual Machine' },
  { id: 'microsoft-azure-applications', displayText: 'Azure Application' },
] as const

export type OfferTypeId = (typeof OFFER_TYPES)[number]['id']

export function isKnownOfferType(id: string): id is OfferTypeId {
  return OFFER_TYPES.some((type) => type.id === id)
}
