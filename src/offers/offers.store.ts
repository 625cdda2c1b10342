import type { Publisher } from '../publishers/publisher.ts'
import type { Offer, OfferFilter, OfferStatus, OfferSummary, OfferVersion, PublishedSlot } from './offer.ts'
import type { OfferPage, OfferPageQuery } from './offer-page.ts'

/**
 * Which content an offer's row holds, read without its definition. `revision` is incremented by
 * every write of the row; changedTime (the ETag), status and version are what a GET answers
 * besides the definition. Two reads of an offer with equal stamps read the same content.
 */
export interface OfferStamp {
  readonly changedTime: string
  readonly status: OfferStatus
  readonly version: number
  readonly revision: number
}

/** What a PUT writes: the draft's content and its new changedTime (the ETag). */
export type DraftReplacement = Pick<
  Offer,
  'publisherId' | 'id' | 'definition' | 'extras' | 'changedTime' | 'sealedSecrets'
>

/** Storage of offers. `find*` answers undefined when there is no such offer. */
/** OfferStore.findNamespaceStamp's answer. */
export interface NamespaceStamp {
  readonly value: string
  readonly offers: number
}

export interface OfferStore {
  /**
   * The summaries of a publisher's offers, ordered by id, one at a time: a namespace of any size is
   * answered without holding its full definitions in memory.
   */
  listOfferSummaries(publisherId: string, filter: OfferFilter): AsyncIterable<OfferSummary>
  /**
   * The first `limit` summaries of the same list, read at once: for the many namespaces that are
   * small, one read costs less than iterating (a promise per row; on PostgreSQL, a cursor).
   */
  listFirstOfferSummaries(publisherId: string, filter: OfferFilter, limit: number): Promise<OfferSummary[]>
  /**
   * One page of the publisher's offers, filtered, searched and sorted as a person browses them
   * (the portal), with the number of offers that match; read from indexes, never the definitions.
   */
  listOfferPage(publisherId: string, query: OfferPageQuery): Promise<OfferPage>
  /**
   * What the publisher's namespace holds, as a value that changes with every write to its offers
   * and only then: the number of offers and the sum of their revisions, read from the covering
   * index (offers_list) without a lock. Every write of an offer increments its revision, a new offer
   * adds one to the count, and offers are never deleted, so the value never comes back to one it
   * had; a write that deletes offers must change this. A list answered at one value is the list of
   * every later read at the same value (offer-list-cache.ts). `offers` is the count alone: what a
   * list of the namespace holds at most.
   */
  findNamespaceStamp(publisherId: string): Promise<NamespaceStamp>
  findOffer(publisherId: string, offerId: string): Promise<Offer | undefined>
  /** The offer's stamp, without reading its definition: cheap enough to check on every read. */
  findOfferStamp(publisherId: string, offerId: string): Promise<OfferStamp | undefined>
  /**
   * The offer's stamp and the version a slot holds (undefined when the offer never reached that
   * slot), in one read.
   */
  findSlotStamp(
    publisherId: string,
    offerId: string,
    slot: PublishedSlot,
  ): Promise<{ stamp: OfferStamp; slotVersion: number | undefined } | undefined>
  /** The offer with its stamp, read together: the stamp names exactly this content. */
  findStampedOffer(
    publisherId: string,
    offerId: string,
  ): Promise<{ offer: Offer; stamp: OfferStamp } | undefined>
  /**
   * Inserts a new offer. Answers false, writing nothing, when the publisher already has an offer
   * with that id (two creates racing: exactly one answers true).
   */
  createOffer(offer: Offer, createdTime: string): Promise<boolean>
  /**
   * Replaces an offer's draft (definition, envelope extras, sealed secrets, changedTime) if, and only
   * if, its changedTime is still `expectedChangedTime`: a compare-and-set, so of writers that read
   * the same ETag exactly one wins. Status and version are the publishing engine's and stay as they
   * are. Answers whether the draft was replaced.
   */
  replaceDraft(draft: DraftReplacement, expectedChangedTime: string): Promise<boolean>
  /**
   * Creates or replaces offers as given, all in one transaction (import, bootstrap). `publishers` are
   * created first, in the same transaction, unless their id is taken (existing ones are left as they are).
   */
  importOffers(
    offers: readonly Offer[],
    createdTime: string,
    publishers?: readonly Publisher[],
  ): Promise<void>
  findVersion(publisherId: string, offerId: string, version: number): Promise<OfferVersion | undefined>
  /** The version a slot holds; undefined when the offer never reached that slot. */
  findSlot(publisherId: string, offerId: string, slot: PublishedSlot): Promise<OfferVersion | undefined>
  /**
   * Copies the draft into an immutable version numbered with the offer's current version, then
   * increments the offer's version (the draft becomes the next version). Answers the snapshot's
   * version. Throws when there is no such offer.
   */
  snapshotDraft(publisherId: string, offerId: string, createdTime: string): Promise<number>
  /**
   * A new publish's writes of the offer, as the publish decided on it: copies the draft into the
   * immutable version `draft.version` if the offer is still at that version with that changedTime
   * (the draft that was read), then moves the offer to the next version with `status` (unchanged
   * when undefined), in one write of its row. Answers false, writing nothing, when the draft has
   * changed since or there is no such offer.
   */
  publishDraft(
    publisherId: string,
    offerId: string,
    draft: { readonly version: number; readonly changedTime: string },
    status: OfferStatus | undefined,
    createdTime: string,
  ): Promise<boolean>
  /** Points a slot at a published version, or empties it (undefined). */
  setSlot(
    publisherId: string,
    offerId: string,
    slot: PublishedSlot,
    version: number | undefined,
    changedTime: string,
  ): Promise<void>
  /** Sets the offer's status; the draft and its ETag are untouched. */
  setStatus(publisherId: string, offerId: string, status: OfferStatus): Promise<void>
}
