/** The URLs of an offer's publishing pages, under the portal's prefix. */
export interface OfferRef {
  readonly publisherId: string
  readonly offerId: string
}

export function offerPath(prefix: string, { publisherId, offerId }: OfferRef): string {
  return `${prefix}/publishers/${encodeURIComponent(publisherId)}/offers/${encodeURIComponent(offerId)}`
}

export function publishingPath(prefix: string, offer: OfferRef): string {
  return `${offerPath(prefix, offer)}/publishing`
}

/** The three publishing actions, as their URLs spell them. */
export const PUBLISHING_ACTIONS = ['publish', 'go-live', 'cancel'] as const
export type PublishingActionName = (typeof PUBLISHING_ACTIONS)[number]
