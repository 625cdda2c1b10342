/**
 * Offers as the domain sees them. The vocabularies are camelCase on the wire, as every example and
 * every observed payload has them (reference §3.6, §4.5).
 */
export const OFFER_STATUSES = [
  'neverPublished',
  'notStarted',
  'waitingForPublisherReview',
  'running',
  'succeeded',
  'canceled',
  'failed',
] as const
export type OfferStatus = (typeof OFFER_STATUSES)[number]

/** The workload definition: a display name, a flat bag of namespaced offer keys, and plans. */
export interface OfferDefinition {
  readonly displayText: string
  readonly offer?: Record<string, unknown>
  readonly plans?: readonly Record<string, unknown>[]
  readonly [key: string]: unknown
}

export interface Offer {
  readonly publisherId: string
  readonly id: string
  readonly offerTypeId: string
  readonly status: OfferStatus
  readonly version: number
  readonly definition: OfferDefinition
  /** Envelope fields we keep and give back verbatim: offerTypeVersions, pcMigrationStatus, ... */
  readonly extras: Readonly<Record<string, unknown>>
  readonly changedTime: string
  /**
   * The secret-typed values of the definition (offers/offer-secrets.ts), sealed with the master key.
   * They never appear in `definition`, so nothing that reads or returns a definition can leak them.
   */
  readonly sealedSecrets?: string
}

/** The slots of an offer: Draft is what is being edited, Preview and Production hold published versions. */
export const SLOTS = ['draft', 'preview', 'production'] as const
export type Slot = (typeof SLOTS)[number]
export type PublishedSlot = Exclude<Slot, 'draft'>

/** An immutable snapshot of an offer's draft, taken when it was published. */
export interface OfferVersion {
  readonly publisherId: string
  readonly offerId: string
  readonly version: number
  readonly offerTypeId: string
  readonly definition: OfferDefinition
  readonly extras: Readonly<Record<string, unknown>>
  readonly createdTime: string
  /** The draft's sealed secrets when the snapshot was taken. */
  readonly sealedSecrets?: string
}

export interface OfferSummary {
  readonly offerTypeId: string
  readonly publisherId: string
  readonly status: OfferStatus
  readonly id: string
  readonly version: number
  readonly definition: { readonly displayText: string }
  readonly changedTime: string
}

export interface OfferFilter {
  readonly offerTypeId?: string
  readonly status?: OfferStatus
}

/** Offer ids follow the portal's rule: lowercase letters, digits and `-` (GUIDs included), ≤50, not ending in `-`. */
export const OFFER_ID_PATTERN = /^[a-z0-9](?:[a-z0-9_-]{0,48}[a-z0-9_])?$/
